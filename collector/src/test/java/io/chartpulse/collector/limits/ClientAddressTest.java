package io.chartpulse.collector.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress truncating =
            new ClientAddress(List.of("10.0.0.0/8", "::1"), ClientAddress.Mode.TRUNCATE, null);

    @Test
    void forwardedForIsIgnoredFromUntrustedPeers() {
        assertThat(truncating.clientIp("198.51.100.7", "1.2.3.4")).isEqualTo("198.51.100.7");
    }

    @Test
    void forwardedForIsReadFromTheRightSkippingTrustedHops() {
        assertThat(truncating.clientIp("10.1.1.1", "6.6.6.6, 203.0.113.5, 10.2.2.2"))
                .isEqualTo("203.0.113.5");
        assertThat(truncating.clientIp("::1", "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(truncating.clientIp("10.1.1.1", "garbage")).isEqualTo("10.1.1.1");
        assertThat(truncating.clientIp("10.1.1.1", "10.3.3.3")).isEqualTo("10.1.1.1");
    }

    @Test
    void truncatesIpv4To24AndIpv6To48() {
        assertThat(truncating.anonymize("203.0.113.77")).isEqualTo("203.0.113.0");
        assertThat(truncating.anonymize("2001:db8:abcd:1234::99")).isEqualTo("2001:db8:abcd:0:0:0:0:0");
        assertThat(truncating.anonymize("::ffff:203.0.113.77")).isEqualTo("203.0.113.0");
        assertThat(truncating.anonymize("not-an-ip")).isNull();
        assertThat(truncating.anonymize(null)).isNull();
    }

    @Test
    void hashesWithTheSaltOrKeepsTheFullAddressOnlyWhenAsked() {
        ClientAddress hashing = new ClientAddress(List.of(), ClientAddress.Mode.HASH, "salt-1");
        String hashed = hashing.anonymize("203.0.113.77");
        assertThat(hashed)
                .matches("[0-9a-f]{32}")
                .isEqualTo(hashing.anonymize("203.0.113.77"))
                .isNotEqualTo(
                        new ClientAddress(List.of(), ClientAddress.Mode.HASH, "salt-2").anonymize("203.0.113.77"));
        assertThat(new ClientAddress(List.of(), ClientAddress.Mode.NONE, null).anonymize("203.0.113.77"))
                .isEqualTo("203.0.113.77");
    }

    @Test
    void badProxyEntriesAreNamed() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/40"), ClientAddress.Mode.TRUNCATE, null))
                .hasMessageContaining("10.0.0.0/40");
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"), ClientAddress.Mode.TRUNCATE, null))
                .hasMessageContaining("proxy.internal");
    }
}

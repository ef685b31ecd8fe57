package io.chartpulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksNeverRepeatAPortInOneJvm() {
        // The OS often offers a just-released port again; a repeat would give two services one port (a broker's
        // client and controller listeners clashed that way).
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.add(FreePorts.pick()))
                    .as("pick %d repeated a port", i)
                    .isTrue();
        }
    }
}

package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricInputTest {

    static MetricInput roundTrip(MetricInput input) {
        return MetricInput.serde()
                .deserializer()
                .deserialize("t", MetricInput.serde().serializer().serialize("t", input));
    }

    @Test
    void everyKindSurvivesTheRepartitionFormat() {
        for (MetricInput.Kind kind : MetricInput.Kind.values()) {
            MetricInput input = new MetricInput(kind, 1_700_000_000_123L, "visitor-ä", 5);
            assertThat(roundTrip(input)).isEqualTo(input);
        }
    }

    @Test
    void theBytesOnTheTopicStayTheOnesEarlierVersionsWrote() {
        assertThat(MetricInput.Kind.values()).extracting(MetricInput.Kind::code).containsExactly('I', 'C', 'O', 'V');
        // A record of the format before partitions were carried: kind byte, time, visitor.
        byte[] old = ByteBuffer.allocate(1 + 8 + 1)
                .put((byte) 'O')
                .putLong(42)
                .put("v".getBytes(StandardCharsets.UTF_8))
                .array();
        assertThat(MetricInput.serde().deserializer().deserialize("t", old))
                .isEqualTo(new MetricInput(MetricInput.Kind.OUTBOUND_CLICK, 42, "v", MetricInput.UNKNOWN_PARTITION));
    }

    @Test
    void anUnknownKindByteIsRefusedByName() {
        byte[] bad = ByteBuffer.allocate(1 + 8 + 1)
                .put((byte) 'X')
                .putLong(42)
                .put((byte) 'v')
                .array();
        assertThatThrownBy(() -> MetricInput.serde().deserializer().deserialize("t", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown metric input kind 'X'");
    }

    @Test
    void aProductRowsRankAndMerchantSurviveAndALongMerchantIsCutOnACharacter() {
        for (MetricInput input : new MetricInput[] {
            new MetricInput(MetricInput.Kind.IMPRESSION, 7, "v", 3, 4, "Shop ä"),
            new MetricInput(MetricInput.Kind.OUTBOUND_CLICK, 7, "v", 3, null, "Shop"),
            new MetricInput(MetricInput.Kind.PRODUCT_CLICK, 7, "v", 3, 12, null)
        }) {
            assertThat(roundTrip(input)).isEqualTo(input);
        }
        String longName = "ä".repeat(MetricInput.MAX_MERCHANT_BYTES); // two bytes each
        MetricInput cut = roundTrip(new MetricInput(MetricInput.Kind.IMPRESSION, 7, "v", 3, 1, longName));
        assertThat(cut.merchant()).isEqualTo("ä".repeat(MetricInput.MAX_MERCHANT_BYTES / 2));
        assertThat(cut.visitor()).isEqualTo("v");
    }
}

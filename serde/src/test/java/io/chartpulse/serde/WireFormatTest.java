package io.chartpulse.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsMagicByteThenBigEndianId() {
        assertThat(WireFormat.header(1)).containsExactly(0x00, 0x00, 0x00, 0x00, 0x01);
        assertThat(WireFormat.header(0x01020304)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(WireFormat.header(256)).containsExactly(0x00, 0x00, 0x00, 0x01, 0x00);
    }

    @Test
    void readsTheIdAndLeavesTheBufferAtTheBody() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0x00, 0x00, 0x00, 0x00, 0x2a, 0x04, 'h', 'i'});
        assertThat(WireFormat.readId(buffer, "topic t")).isEqualTo(42);
        assertThat(buffer.position()).isEqualTo(5);
    }

    @Test
    void rejectsAWrongMagicByteNamingTheSource() {
        ByteBuffer json = ByteBuffer.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WireFormat.readId(json, "topic clicks"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 0x7b")
                .hasMessageContaining("topic clicks");
    }

    @Test
    void rejectsRecordsShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.readId(ByteBuffer.wrap(new byte[] {0, 0, 1}), "topic clicks"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes");
    }

    @Property
    void everyIdRoundTrips(@ForAll int id) {
        assertThat(WireFormat.readId(ByteBuffer.wrap(WireFormat.header(id)), "test"))
                .isEqualTo(id);
    }
}

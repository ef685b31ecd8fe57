package io.chartpulse.streams.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What chart metrics need of an event, re-keyed by chart (and product) for the repartition: its kind, its
 * derived time and the visitor. A compact private format on the internal repartition topic only.
 *
 * @param kind 'I' impression, 'C' product click, 'O' outbound click
 */
public record MetricInput(char kind, long time, String visitor) {

    public static Serde<MetricInput> serde() {
        Serializer<MetricInput> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            byte[] visitor = m.visitor().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 8 + visitor.length)
                    .put((byte) m.kind())
                    .putLong(m.time())
                    .put(visitor)
                    .array();
        };
        Deserializer<MetricInput> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            char kind = (char) buffer.get();
            long time = buffer.getLong();
            return new MetricInput(
                    kind, time, StandardCharsets.UTF_8.decode(buffer).toString());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

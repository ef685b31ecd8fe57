package io.chartpulse.streams.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.schemas.SampleRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The bucketed lookups find exactly what a range read over the horizon would: a second copy of an event is a
 * duplicate if and only if the two received_at times lie within the horizon of each other, wherever they fall
 * relative to the buckets' edges. On the real (RocksDB, segmented) window store.
 */
class DeduplicateTest {

    private static final long HORIZON = Duration.ofHours(24).toMillis();
    // A bucket edge: received_at times from T to T + 2 horizons span three buckets.
    private static final long T = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

    private static TopologyTestDriver driver;
    private static TestInputTopic<String, ChartEvent> in;
    private static TestOutputTopic<String, ChartEvent> out;
    private static int duplicates;

    @BeforeContainer
    static void start() {
        // Avro's single-object encoding: the test needs no registry.
        Serde<ChartEvent> events = Serdes.serdeFrom(
                (topic, e) -> {
                    try {
                        ByteBuffer buffer = e.toByteBuffer();
                        byte[] bytes = new byte[buffer.remaining()];
                        buffer.get(bytes);
                        return bytes;
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return ChartEvent.fromByteBuffer(ByteBuffer.wrap(bytes));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Deduplicate.storeBuilder(Duration.ofMillis(HORIZON)));
        builder.stream("in", Consumed.with(Serdes.String(), events))
                .processValues(() -> new Deduplicate(Duration.ofMillis(HORIZON), () -> duplicates++), Deduplicate.STORE)
                .to("out", Produced.with(Serdes.String(), events));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("dedupe-test").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", Serdes.String().serializer(), events.serializer());
        out = driver.createOutputTopic("out", Serdes.String().deserializer(), events.deserializer());
    }

    @AfterContainer
    static void stop() {
        driver.close();
    }

    @Property(tries = 300)
    void aSecondCopyIsADuplicateExactlyWhenWithinTheHorizon(
            @ForAll @LongRange(min = 0, max = 2 * 86_400_000L) long first,
            @ForAll @LongRange(min = -30_000, max = 30_000) long offset,
            @ForAll boolean nearTheHorizon) {
        // Half the tries put the second copy within 30 s of one horizon away, where off-by-one errors would live.
        long second = nearTheHorizon ? first + HORIZON + offset : first - offset * 1_000;
        second = Math.max(0, Math.min(2 * HORIZON, second));
        int before = duplicates;
        UUID id = UUID.randomUUID();
        send(id, T + first);
        send(id, T + second);
        send(UUID.randomUUID(), T + second);

        boolean within = Math.abs(second - first) <= HORIZON;
        assertThat(duplicates - before).isEqualTo(within ? 1 : 0);
        assertThat(out.readValuesToList()).hasSize(within ? 2 : 3);
    }

    private static void send(UUID id, long receivedAt) {
        in.pipeInput(
                "visitor",
                ChartEvent.newBuilder(SampleRecords.chartEvent())
                        .setEventId(id)
                        .setReceivedAt(Instant.ofEpochMilli(receivedAt))
                        .build(),
                receivedAt);
    }
}

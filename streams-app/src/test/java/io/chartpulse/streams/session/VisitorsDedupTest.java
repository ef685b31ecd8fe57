package io.chartpulse.streams.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.schemas.SampleRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Deduplication by the visitor's state, on the real (RocksDB, cached, logged) visitor store in Kafka Streams'
 * test driver: a second copy of an event is a duplicate if and only if the two received_at times lie within the
 * horizon of each other, while fewer than the kept number of ids came between; the ids of a visitor without open
 * sessions are swept once they are older than the horizon.
 */
class VisitorsDedupTest {

    private static final long HORIZON = Duration.ofHours(24).toMillis();
    private static final int MAX_IDS = 16;
    private static final long T = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

    private static TopologyTestDriver driver;
    private static TestInputTopic<String, EnrichedEvent> in;
    private static TestOutputTopic<String, EnrichedEvent> out;
    private static int duplicates;
    private static int visitor;

    @BeforeContainer
    static void start() {
        // Avro's single-object encoding: the test needs no registry.
        Serde<EnrichedEvent> events = Serdes.serdeFrom(
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
                        return EnrichedEvent.fromByteBuffer(ByteBuffer.wrap(bytes));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(Visitors.STORE), Serdes.String(), VisitorState.serde())
                .withCachingEnabled());
        builder.stream("in", Consumed.with(Serdes.String(), events))
                .process(
                        () -> new Visitors(
                                Duration.ofMillis(HORIZON),
                                MAX_IDS,
                                Duration.ofSeconds(10),
                                () -> duplicates++,
                                null,
                                null),
                        Visitors.STORE)
                .mapValues(e -> (EnrichedEvent) e)
                .to("out", Produced.with(Serdes.String(), events));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "visitors-dedup-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("visitors-dedup-test").toString());
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
            @ForAll boolean nearTheHorizon,
            @ForAll @IntRange(min = 0, max = 2 * MAX_IDS) int between) {
        // Half the tries put the second copy within 30 s of one horizon away, where off-by-one errors would live.
        long second = nearTheHorizon ? first + HORIZON + offset : first - offset * 1_000;
        second = Math.max(0, Math.min(2 * HORIZON, second));
        String anon = "visitor-" + visitor++;
        int before = duplicates;
        UUID id = UUID.randomUUID();
        send(anon, id, T + first);
        // Other events of the visitor between the copies, received between them.
        for (int i = 0; i < between; i++) {
            send(anon, UUID.randomUUID(), T + Math.min(first, second) + i);
        }
        send(anon, id, T + second);
        send(anon, UUID.randomUUID(), T + second);

        boolean within = Math.abs(second - first) <= HORIZON;
        // The last MAX_IDS ids are kept: the first copy's is among them unless MAX_IDS others came after it (the
        // others are received within milliseconds of it, so none pushes it past the horizon).
        boolean kept = between < MAX_IDS;
        int expected = within && kept ? 1 : 0;
        assertThat(duplicates - before).isEqualTo(expected);
        assertThat(out.readValuesToList()).hasSize(between + 3 - expected);
    }

    @Example
    void aVisitorsIdsAreSweptOnceOlderThanTheHorizonAndTheirCopiesThenPass() {
        UUID id = UUID.randomUUID();
        send("swept", id, T);
        KeyValueStore<String, VisitorState> store = driver.getKeyValueStore(Visitors.STORE);
        assertThat(store.get("swept")).isNotNull();
        // Another visitor's event, later than the horizon and the sweep's margin, then the wall-clock sweep.
        send("someone-else", UUID.randomUUID(), T + HORIZON + Visitors.SWEEP_MARGIN + 1);
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertThat(store.get("swept"))
                .as("ids past the horizon, no open session: deleted")
                .isNull();
        assertThat(store.get("someone-else")).isNotNull();
        out.readValuesToList();
    }

    private static void send(String anon, UUID id, long receivedAt) {
        in.pipeInput(
                anon,
                EnrichedEvent.newBuilder(SampleRecords.enrichedEvent())
                        .setAnonymousId(anon)
                        .setEventId(id)
                        .setReceivedAt(Instant.ofEpochMilli(receivedAt))
                        .build(),
                receivedAt);
    }
}

package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.embedded.kafka.DataDirs;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteBehindStoreTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private KeyValueStore<String, StringBuilder> inner;
    private WriteBehindStore<String, StringBuilder> store;

    @BeforeEach
    void open() {
        inner = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("write-behind-test"),
                        Serdes.String(),
                        Serdes.serdeFrom(
                                (topic, v) -> v == null ? null : v.toString().getBytes(),
                                (topic, b) -> b == null ? null : new StringBuilder(new String(b))))
                .withLoggingDisabled()
                .build();
        store = new WriteBehindStore<>(inner, now::get);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPutStaysAnObjectUntilTheCommitsCacheFlushThenReachesTheInnerStoreOnce() {
        StringBuilder value = new StringBuilder("a");
        store.put("k", value);
        assertThat(store.get("k")).as("the writer gets its own object back").isSameAs(value);
        assertThat(inner.get("k")).as("nothing written before the flush").isNull();

        value.append("b");
        store.put("k", value);
        store.flushCache();

        assertThat(store.pending()).isZero();
        assertThat(inner.get("k")).hasToString("ab");
        assertThat(store.get("k"))
                .as("after the write-out, read from the inner store")
                .hasToString("ab");
    }

    @Test
    void anotherThreadReadsOnlyWhatWasWrittenOut() throws Exception {
        store.put("k", new StringBuilder("old"));
        store.flushCache();
        store.put("k", new StringBuilder("new"));

        String seen = CompletableFuture.supplyAsync(() -> String.valueOf(store.get("k")))
                .get();
        List<String> ranged = CompletableFuture.supplyAsync(() -> {
                    List<String> values = new ArrayList<>();
                    try (KeyValueIterator<String, StringBuilder> all = store.all()) {
                        all.forEachRemaining(kv -> values.add(kv.value.toString()));
                    }
                    return values;
                })
                .get();

        assertThat(seen).isEqualTo("old");
        assertThat(ranged).containsExactly("old");
        assertThat(store.pending())
                .as("a query never writes out the stream thread's objects")
                .isEqualTo(1);
    }

    @Test
    void theWritersRangeReadsSeeItsPendingWrites() {
        store.put("a", new StringBuilder("1"));
        store.flushCache();
        store.put("b", new StringBuilder("2"));
        store.put("c", new StringBuilder("3"));

        List<KeyValue<String, String>> read = new ArrayList<>();
        try (KeyValueIterator<String, StringBuilder> range = store.range("b", "c")) {
            range.forEachRemaining(kv -> read.add(KeyValue.pair(kv.key, kv.value.toString())));
        }

        assertThat(read).containsExactly(KeyValue.pair("b", "2"), KeyValue.pair("c", "3"));
        assertThat(store.pending()).isZero();
    }

    @Test
    void aDeleteRemovesThePendingAndTheWrittenValueAndAFlushDoesNotBringItBack() {
        store.put("k", new StringBuilder("written"));
        store.flushCache();
        store.put("k", new StringBuilder("pending"));

        assertThat(store.delete("k")).hasToString("pending");
        store.flushCache();

        assertThat(store.get("k")).isNull();
        assertThat(inner.get("k")).isNull();
        store.put("n", new StringBuilder("x"));
        store.put("n", null);
        store.flushCache();
        assertThat(inner.get("n")).as("a null put deletes").isNull();
    }

    @Test
    void workThrownAwayLosesItsPendingWrites() {
        store.put("kept", new StringBuilder("1"));
        store.flushCache();
        store.put("dropped", new StringBuilder("2"));

        store.clearCache();
        store.flushCache();

        assertThat(inner.get("kept")).hasToString("1");
        assertThat(inner.get("dropped")).isNull();
        assertThat(store.get("dropped")).isNull();
    }

    @Test
    void tooManyKeysOrTooOldAWriteAreWrittenOutWithoutWaitingForTheCommit() {
        for (int i = 0; i <= WriteBehindStore.MAX_PENDING; i++) {
            store.put("k" + i, new StringBuilder("v"));
        }
        assertThat(store.pending()).isZero();
        assertThat(inner.approximateNumEntries()).isEqualTo(WriteBehindStore.MAX_PENDING + 1L);

        store.put("first", new StringBuilder("1"));
        now.addAndGet(WriteBehindStore.MAX_PENDING_MS - 1);
        store.put("second", new StringBuilder("2"));
        assertThat(store.pending()).isEqualTo(2);
        now.addAndGet(1);
        store.put("third", new StringBuilder("3"));
        assertThat(store.pending()).isZero();
        assertThat(inner.get("first")).hasToString("1");
    }

    @Test
    void putIfAbsentAndPutAllGoThroughTheCache() {
        assertThat(store.putIfAbsent("k", new StringBuilder("1"))).isNull();
        assertThat(store.putIfAbsent("k", new StringBuilder("2"))).hasToString("1");
        store.putAll(List.of(KeyValue.pair("a", new StringBuilder("x")), KeyValue.pair("b", new StringBuilder("y"))));
        assertThat(store.pending()).isEqualTo(3);
        store.flush();
        assertThat(inner.get("k")).hasToString("1");
        assertThat(inner.get("b")).hasToString("y");
    }

    @Test
    void kafkaStreamsWritesThePendingObjectsOutAtEachCommit() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBehindStore.builder(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.Long())));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .process(
                        () -> new Processor<String, String, Void, Void>() {
                            private KeyValueStore<String, Long> counts;

                            @Override
                            public void init(ProcessorContext<Void, Void> context) {
                                counts = context.getStateStore("counts");
                            }

                            @Override
                            public void process(Record<String, String> record) {
                                Long n = counts.get(record.key());
                                counts.put(record.key(), n == null ? 1 : n + 1);
                            }
                        },
                        "counts");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-behind-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("write-behind-test").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            in.pipeInput("a", "1");
            in.pipeInput("a", "2");
            in.pipeInput("b", "3");
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");

            // The driver commits after each record, as a stream thread does every commit interval; a query from
            // another thread reads only what the commits wrote out.
            List<Long> seen = CompletableFuture.supplyAsync(() -> List.of(counts.get("a"), counts.get("b")))
                    .get();
            assertThat(seen).containsExactly(2L, 1L);
        }
    }

    @Test
    void theBuilderRefusesKafkaStreamsRecordCacheOnTop() {
        var builder = WriteBehindStore.builder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("x"), Serdes.String(), Serdes.String()));
        assertThatThrownBy(builder::withCachingEnabled)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("record cache");
        assertThat(builder.withLoggingDisabled().loggingEnabled()).isFalse();
        assertThat(builder.build()).isInstanceOf(WriteBehindStore.class);
        assertThat(WriteBehindStore.cached(
                                Stores.keyValueStoreBuilder(
                                        Stores.inMemoryKeyValueStore("y"), Serdes.String(), Serdes.String()),
                                false)
                        .build())
                .as("without write-behind, Kafka Streams' record cache")
                .isNotInstanceOf(WriteBehindStore.class)
                .isInstanceOf(CachedStateStore.class);
    }
}

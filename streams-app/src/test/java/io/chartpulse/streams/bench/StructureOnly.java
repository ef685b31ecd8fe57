package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.topology.TopologySettings;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The skeleton of the ChartPulse topology's design for the benchmark: what it cannot do without, and none of its
 * work. Every event is decoded, updates a 24-byte value per visitor (the least one state for deduplication and
 * sessions keeps: the last event id and a time; a cached store with its changelog, as the real visitor store is),
 * is written out again as it came (as the pass-through does) and, for chart events, goes through a repartition by
 * chart to an 8-byte counter per chart and minute (store + changelog, cached as the real metrics store is). No
 * validation, enrichment, EnrichedEvent, session record or sketch. Its rate over the pass-through's bounds what any
 * implementation of the design reaches here.
 *
 * <p>{@link #floor} is less still, and a floor of *any* design of the topology rather than of this one: the same
 * visitor state and output, no chart metrics at all, and each event's user agent looked up in {@link CheapestAgents}
 * (a hash map in front of YAUAA asked for one field) — every design decodes each event, keeps state per visitor under
 * exactly-once, writes each event out and parses each new agent string once, and this does only that, each in the
 * cheapest form measured ({@link AgentTailBenchmark}).
 */
final class StructureOnly {

    private static final String VISITORS = "structure-visitors";
    private static final String MINUTES = "structure-minutes";

    private StructureOnly() {}

    static void build(
            StreamsBuilder builder, TopologySettings settings, SpecificAvroSerde<ChartEvent> serde, String output) {
        KStream<String, ChartEvent> events = visited(builder, settings, serde, output, null);
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MINUTES), Serdes.String(), Serdes.Long())
                        .withCachingEnabled());
        events.filter((key, e) -> e.getChart() != null)
                .map((key, e) -> KeyValue.pair(
                        e.getChart().getChartId(),
                        ByteBuffer.allocate(8)
                                .putLong(e.getReceivedAt().toEpochMilli())
                                .array()))
                .repartition(
                        Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("structure-by-chart"))
                .processValues(
                        () -> new Count<>(
                                MINUTES,
                                (key, time) -> key + "|" + ByteBuffer.wrap(time).getLong() / 60_000),
                        MINUTES);
    }

    /** The floor of any design: decode, visitor state, the event written out, each new agent string parsed once. */
    static void floor(
            StreamsBuilder builder, TopologySettings settings, SpecificAvroSerde<ChartEvent> serde, String output) {
        visited(builder, settings, serde, output, new CheapestAgents());
    }

    // The raw events through the visitor state (and the agent lookup, if given), written to the output.
    private static KStream<String, ChartEvent> visited(
            StreamsBuilder builder,
            TopologySettings settings,
            SpecificAvroSerde<ChartEvent> serde,
            String output,
            CheapestAgents agents) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(VISITORS), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        KStream<String, ChartEvent> events = builder.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                .processValues(() -> new Visit(agents), VISITORS);
        events.to(output, Produced.with(Serdes.String(), serde));
        return events;
    }

    /**
     * Reads the visitor's value and writes it again with the event's id and time (and looks its agent up, if given),
     * and forwards the event.
     */
    private static final class Visit implements FixedKeyProcessor<String, ChartEvent, ChartEvent> {
        private final CheapestAgents agents;
        private KeyValueStore<String, byte[]> visitors;
        private FixedKeyProcessorContext<String, ChartEvent> context;

        Visit(CheapestAgents agents) {
            this.agents = agents;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, ChartEvent> context) {
            this.context = context;
            this.visitors = context.getStateStore(VISITORS);
        }

        @Override
        public void process(FixedKeyRecord<String, ChartEvent> record) {
            ChartEvent e = record.value();
            if (agents != null && e.getContext().getUserAgent() != null) {
                agents.of(e.getContext().getUserAgent());
            }
            byte[] last = visitors.get(record.key());
            if (last == null
                    || ByteBuffer.wrap(last).getLong() != e.getEventId().getMostSignificantBits()) {
                visitors.put(
                        record.key(),
                        ByteBuffer.allocate(24)
                                .putLong(e.getEventId().getMostSignificantBits())
                                .putLong(e.getEventId().getLeastSignificantBits())
                                .putLong(e.getReceivedAt().toEpochMilli())
                                .array());
            }
            context.forward(record);
        }
    }

    /** Adds one to a counter in a store under a key derived from the record, and forwards the record. */
    private static final class Count<V> implements FixedKeyProcessor<String, V, V> {
        private final String store;
        private final BiFunction<String, V, String> key;
        private KeyValueStore<String, Long> counts;
        private FixedKeyProcessorContext<String, V> context;

        Count(String store, BiFunction<String, V, String> key) {
            this.store = store;
            this.key = key;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, V> context) {
            this.context = context;
            this.counts = context.getStateStore(store);
        }

        @Override
        public void process(FixedKeyRecord<String, V> record) {
            String k = key.apply(record.key(), record.value());
            Long n = counts.get(k);
            counts.put(k, n == null ? 1 : n + 1);
            context.forward(record);
        }
    }
}

package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.UserAgentInfo;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.topology.TopologySettings;
import io.chartpulse.streams.topology.WriteBehindStore;
import java.nio.ByteBuffer;
import java.time.Instant;
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
 * <p>{@link #floor} is a floor of *any* design of the topology rather than of this one: the same visitor state, no
 * chart metrics at all, each event's user agent looked up in {@link CheapestAgents} (a hash map in front of YAUAA
 * asked for one field, the cheapest parser {@link AgentTailBenchmark} measured) and each event written out as the
 * record the enriched topic's contract asks for, an {@code EnrichedEvent} ({@link Enrichers#copyOf} plus the agent's
 * name; every other enrichment left at its default, so the record is smaller than the app's). Every design decodes
 * each event, keeps state per visitor under exactly-once, parses each new agent string once and writes an enriched
 * record per event; this does only that.
 */
final class StructureOnly {

    private static final String VISITORS = "structure-visitors";
    private static final String MINUTES = "structure-minutes";

    private StructureOnly() {}

    static void build(
            StreamsBuilder builder, TopologySettings settings, SpecificAvroSerde<ChartEvent> serde, String output) {
        KStream<String, ChartEvent> events = visited(builder, settings, serde);
        events.to(output, Produced.with(Serdes.String(), serde));
        builder.addStateStore(WriteBehindStore.cached(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MINUTES), Serdes.String(), Serdes.Long()),
                settings.writeBehind()));
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

    /**
     * The floor of any design: decode, visitor state, each new agent string parsed once, an enriched record written
     * per event.
     */
    static void floor(
            StreamsBuilder builder,
            TopologySettings settings,
            SpecificAvroSerde<ChartEvent> serde,
            SpecificAvroSerde<EnrichedEvent> enriched,
            String output) {
        floor(builder, settings, serde, enriched, output, new CheapestAgents());
    }

    /** The floor with the given agent lookup (one already holding every agent string, for an experiment). */
    static void floor(
            StreamsBuilder builder,
            TopologySettings settings,
            SpecificAvroSerde<ChartEvent> serde,
            SpecificAvroSerde<EnrichedEvent> enriched,
            String output,
            CheapestAgents agents) {
        visited(builder, settings, serde)
                .mapValues(e -> {
                    EnrichedEvent out = Enrichers.copyOf(e, Instant.ofEpochMilli(System.currentTimeMillis()));
                    String ua = e.getContext() == null ? null : e.getContext().getUserAgent();
                    if (ua != null) {
                        out.setUserAgent(new UserAgentInfo(agents.of(ua), null, null, null, null, null));
                    }
                    return out;
                })
                .to(output, Produced.with(Serdes.String(), enriched));
    }

    // The raw events through the visitor state.
    private static KStream<String, ChartEvent> visited(
            StreamsBuilder builder, TopologySettings settings, SpecificAvroSerde<ChartEvent> serde) {
        builder.addStateStore(WriteBehindStore.cached(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(VISITORS), Serdes.String(), Serdes.ByteArray()),
                settings.writeBehind()));
        return builder.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                .processValues(Visit::new, VISITORS);
    }

    /** Reads the visitor's value and writes it again with the event's id and time, and forwards the event. */
    private static final class Visit implements FixedKeyProcessor<String, ChartEvent, ChartEvent> {
        private KeyValueStore<String, byte[]> visitors;
        private FixedKeyProcessorContext<String, ChartEvent> context;

        @Override
        public void init(FixedKeyProcessorContext<String, ChartEvent> context) {
            this.context = context;
            this.visitors = context.getStateStore(VISITORS);
        }

        @Override
        public void process(FixedKeyRecord<String, ChartEvent> record) {
            ChartEvent e = record.value();
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

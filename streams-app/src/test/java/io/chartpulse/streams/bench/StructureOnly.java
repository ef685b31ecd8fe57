package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.topology.TopologySettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The skeleton of the ChartPulse topology's design for the benchmark: what it cannot do without, and none of its
 * work. Every event is decoded, updates a 24-byte value per visitor (the least one state for deduplication and
 * sessions keeps: the last event id and a time; a cached store with its changelog, as the real visitor store is),
 * and is written out again as it came (as the pass-through does); chart events are combined per chart and minute
 * into 16-byte partials (count and newest time) in a cached, logged store, flushed as the real topology flushes them
 * (every second of wall clock and when the task's time enters a new minute: forwarded, deleted from the store)
 * through a repartition by chart to an 8-byte counter per chart and minute (store + changelog, cached as the real
 * metrics store is). No validation, enrichment, EnrichedEvent, session record, sketch or breakdown. Its rate over the
 * pass-through's bounds what any implementation of the design reaches here.
 */
final class StructureOnly {

    private static final String VISITORS = "structure-visitors";
    private static final String PARTIALS = "structure-partials";
    private static final String MINUTES = "structure-minutes";
    private static final long MINUTE_MS = 60_000;

    private StructureOnly() {}

    static void build(
            StreamsBuilder builder, TopologySettings settings, SpecificAvroSerde<ChartEvent> serde, String output) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(VISITORS), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PARTIALS), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MINUTES), Serdes.String(), Serdes.Long())
                        .withCachingEnabled());
        KStream<String, ChartEvent> events = builder.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                .processValues(Visit::new, VISITORS);
        events.to(output, Produced.with(Serdes.String(), serde));
        events.filter((key, e) -> e.getChart() != null)
                .process(() -> new Combine(settings.metricsFlush()), PARTIALS)
                .repartition(
                        Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("structure-by-chart"))
                .processValues(Count::new, MINUTES);
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

    /**
     * Counts chart events per chart and minute in pending partials (objects, each put in the logged store per event),
     * forwards them keyed by chart and deletes them on a flush.
     */
    private static final class Combine implements Processor<String, ChartEvent, String, byte[]> {
        private final Duration flushEvery;
        private final Map<String, long[]> pending = new HashMap<>();
        private KeyValueStore<String, byte[]> partials;
        private ProcessorContext<String, byte[]> context;
        private long flushedMinute = Long.MIN_VALUE;

        Combine(Duration flushEvery) {
            this.flushEvery = flushEvery;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.partials = context.getStateStore(PARTIALS);
            context.schedule(flushEvery, PunctuationType.WALL_CLOCK_TIME, wall -> flush());
        }

        @Override
        public void process(Record<String, ChartEvent> record) {
            long t = record.value().getReceivedAt().toEpochMilli();
            String key = record.value().getChart().getChartId() + "|" + Math.floorDiv(t, MINUTE_MS);
            long[] partial = pending.computeIfAbsent(key, k -> new long[2]);
            partial[0]++;
            partial[1] = Math.max(partial[1], t);
            partials.put(key, bytes(partial));
            if (Math.floorDiv(t, MINUTE_MS) > flushedMinute) {
                flushedMinute = Math.floorDiv(t, MINUTE_MS);
                flush();
            }
        }

        private void flush() {
            for (Map.Entry<String, long[]> e : pending.entrySet()) {
                String key = e.getKey();
                context.forward(
                        new Record<>(key.substring(0, key.lastIndexOf('|')), bytes(e.getValue()), e.getValue()[1]));
                partials.delete(key);
            }
            pending.clear();
        }

        private static byte[] bytes(long[] partial) {
            return ByteBuffer.allocate(16)
                    .putLong(partial[0])
                    .putLong(partial[1])
                    .array();
        }
    }

    /** Adds a partial's count to the counter of its chart and minute. */
    private static final class Count implements FixedKeyProcessor<String, byte[], byte[]> {
        private KeyValueStore<String, Long> counts;
        private FixedKeyProcessorContext<String, byte[]> context;

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
            this.counts = context.getStateStore(MINUTES);
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            ByteBuffer partial = ByteBuffer.wrap(record.value());
            long n = partial.getLong();
            String k = record.key() + "|" + Math.floorDiv(partial.getLong(), MINUTE_MS);
            Long before = counts.get(k);
            counts.put(k, before == null ? n : before + n);
            context.forward(record);
        }
    }
}

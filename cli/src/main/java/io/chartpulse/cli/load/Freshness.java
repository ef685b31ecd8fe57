package io.chartpulse.cli.load;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.AvroSerdeConfig;
import io.chartpulse.serde.avro.KafkaAvroDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;

/**
 * End-to-end freshness of the load generator's events: for a sample of the valid events the collector took, the time
 * from the collector's {@code received_at} to the moment the event is seen in the enriched topic (a read_committed
 * consumer from the topic's end, so only what the streams app committed) and in MongoDB {@code events} (polled by
 * event id every {@link #MONGO_POLL}, which adds up to that much) and in the lake (the commit that appended them).
 * The clocks are this machine's when the stack runs here; across machines their skew adds in. Each store is
 * optional: one that cannot be reached is reported as such.
 */
public final class Freshness implements AutoCloseable {

    /** How often MongoDB is asked for the sampled events not yet seen there. */
    static final Duration MONGO_POLL = Duration.ofMillis(100);

    /** How often the lake table is looked at for new commits. */
    static final Duration LAKE_POLL = Duration.ofSeconds(1);
    /** How long a watcher waits before asking a store again that stopped answering after it had answered. */
    static final Duration OUTAGE_RETRY = Duration.ofSeconds(1);

    /**
     * How many awaited events one poll asks for: the oldest, since the sink writes in order, so the ones behind them
     * are not there yet either. Kept small, since each poll takes the MongoDB stand-in's collection lock from the sink.
     */
    static final int MONGO_BATCH = 100;

    /**
     * One store's sample: the events awaited, and the delays seen (milliseconds each). A store read as a stream (the
     * topic) may see an event before the collector's answer reached the load generator; it is kept as seen early
     * until it is expected.
     */
    public static final class Store {
        final String name;
        final String label;
        // In the order the collector took them, so MongoDB is asked for the oldest first.
        final Set<String> pending = Collections.synchronizedSet(new LinkedHashSet<>());
        // Each {received_at, delay} in milliseconds.
        private final Map<String, long[]> early = new HashMap<>();
        private final List<long[]> seen = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> problem = new AtomicReference<>();
        /** How often the store stopped answering after it had answered (an outage waited out, not a problem). */
        final AtomicLong interruptions = new AtomicLong();

        Store(String name, String label) {
            this.name = name;
            this.label = label;
        }

        void seen(long receivedAt, long now) {
            seen.add(new long[] {receivedAt, Math.max(0, now - receivedAt)});
        }

        /** The {@code n} sampled events awaited longest. */
        List<String> oldest(int n) {
            synchronized (pending) {
                return pending.stream().limit(n).toList();
            }
        }

        synchronized void expect(String id) {
            long[] delay = early.remove(id);
            if (delay != null) {
                seen.add(delay);
            } else {
                pending.add(id);
            }
        }

        synchronized void observe(String id, long receivedAt, long now) {
            if (pending.remove(id)) {
                seen(receivedAt, now);
            } else if (early.size() < MAX_EARLY) {
                early.put(id, new long[] {receivedAt, Math.max(0, now - receivedAt)});
            }
        }

        public String name() {
            return name;
        }

        /** One word, for the live line. */
        public String label() {
            return label;
        }

        /** Sampled events not seen yet. */
        public int pending() {
            return pending.size();
        }

        /** How often the store stopped answering after it had answered: outages waited out. */
        public long interruptions() {
            return interruptions.get();
        }

        /** Why this store is not measured (unreachable, say); null when it is. */
        public String problem() {
            return problem.get();
        }

        /** The seen delays' percentiles, in milliseconds (p50, p90, p99, max), and how many; all 0 with none. */
        public Percentiles percentiles() {
            return percentiles(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        /** The same, of the events the collector received from {@code fromMillis} (inclusive) to {@code toMillis}. */
        public Percentiles percentiles(long fromMillis, long toMillis) {
            return percentiles(receivedAt -> receivedAt >= fromMillis && receivedAt < toMillis);
        }

        /** The same, of the events whose collector {@code received_at} (epoch ms) {@code receivedAt} accepts. */
        public Percentiles percentiles(LongPredicate receivedAt) {
            List<Long> sorted = new ArrayList<>();
            synchronized (seen) {
                for (long[] s : seen) {
                    if (receivedAt.test(s[0])) {
                        sorted.add(s[1]);
                    }
                }
            }
            Collections.sort(sorted);
            return new Percentiles(
                    sorted.size(), at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 1.0));
        }

        // The nearest-rank percentile.
        private static long at(List<Long> sorted, double q) {
            if (sorted.isEmpty()) {
                return 0;
            }
            int rank = (int) Math.ceil(q * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
        }
    }

    /** Delays in milliseconds at the 50th, 90th and 99th percentile and the largest, over {@code count} events. */
    public record Percentiles(int count, long p50, long p90, long p99, long max) {}

    /** Events seen in the topic before they were expected, kept at most (more is someone else's traffic). */
    static final int MAX_EARLY = 100_000;

    private final int sampleEvery;
    private final List<Store> stores = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private final CountDownLatch topicPositioned = new CountDownLatch(1);

    /** @param sampleEvery about one valid event in this many is followed (chosen by the event id's hash) */
    public Freshness(int sampleEvery) {
        this.sampleEvery = sampleEvery;
    }

    /** Also times the events into the enriched topic; returns once the reader is at the topic's end. */
    public Freshness topic(String bootstrapServers, String registryUrl) {
        Store topic = new Store("enriched topic", "topic");
        stores.add(topic);
        start("freshness-kafka", () -> watchTopic(topic, bootstrapServers, registryUrl));
        try {
            // The reader starts at the topic's end: the load must not begin before it is there.
            topicPositioned.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** Also times the events into MongoDB {@code events}. */
    public Freshness mongo(String mongoUri, String database) {
        Store mongo = new Store("MongoDB events", "mongo");
        stores.add(mongo);
        start("freshness-mongo", () -> watchMongo(mongo, mongoUri, database));
        return this;
    }

    /**
     * Also times the events into the lake's {@code enriched_events} table: visible at the commit (its snapshot's
     * time) that appended them; the table is looked at every {@link #LAKE_POLL}, only commits after this call count.
     */
    public Freshness lake(Supplier<Catalog> catalog) {
        Store lake = new Store("lake table", "lake");
        stores.add(lake);
        CountDownLatch started = new CountDownLatch(1);
        start("freshness-lake", () -> watchLake(lake, catalog, started));
        try {
            started.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** The valid events the collector just took; those {@link #sampled} are followed. */
    public void accepted(List<String> eventIds) {
        for (String id : eventIds) {
            if (sampled(id)) {
                for (Store store : stores) {
                    if (store.problem() == null) {
                        store.expect(id);
                    }
                }
            }
        }
    }

    // By the id alone, so the topic's reader knows without being told which events are followed.
    private boolean sampled(String eventId) {
        return Math.floorMod(eventId.hashCode(), sampleEvery) == 0;
    }

    public List<Store> stores() {
        return stores;
    }

    /** Waits until every sampled event was seen in every store still measured, or {@code atMost} passed. */
    public void drain(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && stores.stream().anyMatch(s -> s.problem() == null && s.pending() > 0)) {
            Thread.sleep(100);
        }
    }

    private void watchTopic(Store store, String bootstrapServers, String registryUrl) {
        String topic = Topic.ENRICHED_EVENTS.topicName();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                10_000),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                KafkaAvroDeserializer values = new KafkaAvroDeserializer()) {
            values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            topicPositioned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() == null) {
                        continue;
                    }
                    GenericRecord event = (GenericRecord) values.deserialize(topic, record.value());
                    String id = event.get("event_id").toString();
                    if (sampled(id)) {
                        store.observe(id, toMillis(event.get("received_at")), System.currentTimeMillis());
                    }
                }
            }
        } catch (RuntimeException e) {
            unreachable(store, "Kafka at " + bootstrapServers, e);
        } finally {
            topicPositioned.countDown();
        }
    }

    private void watchLake(Store store, Supplier<Catalog> catalogs, CountDownLatch started) {
        Catalog catalog = null;
        try {
            catalog = catalogs.get();
            Table table = catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
            Snapshot last = table.currentSnapshot();
            started.countDown();
            while (running) {
                Thread.sleep(LAKE_POLL.toMillis());
                try {
                    table.refresh();
                } catch (RuntimeException e) {
                    // The catalog or S3 went away after they answered (a restart, an outage): keep waiting for them.
                    store.interruptions.incrementAndGet();
                    Thread.sleep(OUTAGE_RETRY.toMillis());
                    continue;
                }
                Snapshot current = table.currentSnapshot();
                if (current == null || (last != null && current.snapshotId() == last.snapshotId())) {
                    continue;
                }
                List<Snapshot> commits = new ArrayList<>();
                for (Snapshot s = current;
                        s != null && (last == null || s.snapshotId() != last.snapshotId());
                        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
                    commits.add(0, s);
                }
                try {
                    for (Snapshot commit : commits) {
                        IcebergGenerics.ScanBuilder rows =
                                IcebergGenerics.read(table).select("event_id", "received_at");
                        rows = commit.parentId() == null
                                ? rows.useSnapshot(commit.snapshotId())
                                : rows.appendsBetween(commit.parentId(), commit.snapshotId());
                        try (CloseableIterable<Record> appended = rows.build()) {
                            for (Record row : appended) {
                                String id = String.valueOf(row.getField("event_id"));
                                if (sampled(id)) {
                                    store.observe(id, toMillis(row.getField("received_at")), commit.timestampMillis());
                                }
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // S3 went away between the catalog's answer and the data files: read these commits again.
                    store.interruptions.incrementAndGet();
                    Thread.sleep(OUTAGE_RETRY.toMillis());
                    continue;
                }
                last = current;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            unreachable(store, "the lake", e);
        } finally {
            started.countDown();
            if (catalog != null) {
                LakeCommand.close(catalog);
            }
        }
    }

    private void watchMongo(Store store, String uri, String database) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            MongoCollection<Document> events = client.getDatabase(database).getCollection("events");
            boolean answered = false;
            while (running) {
                List<String> ids = store.oldest(MONGO_BATCH);
                if (!ids.isEmpty()) {
                    long now = System.currentTimeMillis();
                    try {
                        for (Document d : events.find(Filters.in("event_id", ids))
                                .projection(Projections.include("event_id", "received_at"))) {
                            if (store.pending.remove(d.getString("event_id"))) {
                                store.seen(toMillis(d.get("received_at")), now);
                            }
                        }
                        answered = true;
                    } catch (MongoException e) {
                        if (!answered) {
                            throw e; // never reachable: a wrong address, said once
                        }
                        // MongoDB went away after it answered (a restart, an outage): keep waiting for it.
                        store.interruptions.incrementAndGet();
                        Thread.sleep(OUTAGE_RETRY.toMillis());
                    }
                }
                Thread.sleep(MONGO_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            unreachable(store, "MongoDB at " + uri, e);
        }
    }

    private static long toMillis(Object time) {
        if (time instanceof Date d) {
            return d.getTime();
        }
        if (time instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (time instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli();
        }
        return ((Number) time).longValue();
    }

    private void unreachable(Store store, String what, Exception e) {
        if (running) {
            store.problem.set("cannot read " + what + ": " + e.getMessage());
            store.pending.clear();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}

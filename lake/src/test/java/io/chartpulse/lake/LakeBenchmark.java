package io.chartpulse.lake;

import io.chartpulse.avro.Chart;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Product;
import io.chartpulse.embedded.DiscardSinkConnector;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The lake benchmark. A backlog of enriched events (Confluent-framed Avro, a realistic mix of event types) on a
 * 2-partition topic goes, in one run, (a) through Connect to a sink that drops them ({@link DiscardSinkConnector}:
 * the same worker, consumer and AvroConverter as the Iceberg sink), (b) through Apache Iceberg's sink into a table
 * partitioned by {@code day(derived_at)} only, and (c) into one laid out as {@code chartpulse.enriched_events} is,
 * by day and {@code event_type} — the measurement behind that choice: write rate, files and bytes per commit, and
 * what a query for one event type must plan and read in each. Then (d) lake freshness: single events sent one at a time
 * at random moments to a sink at the given commit interval, each timed from the broker's ack to the committed
 * snapshot that holds it.
 *
 * <p>The discard sink's time runs from creating the connector until its committed offsets reach the end of the
 * topic; an Iceberg sink's until the table's current snapshot holds every record (so it includes the last commit
 * interval, {@link #THROUGHPUT_COMMIT_INTERVAL} in the benchmark). Not a test: speed never fails the build.
 *
 * <p>{@code LakeBenchmark [events] [freshness samples] [freshness commit interval ms]} (defaults 1 000 000, 5,
 * 60 000 — the dev and compose default).
 */
public final class LakeBenchmark {

    /** The commit interval of the throughput runs: short, so the wait for the last commit weighs little. */
    static final Duration THROUGHPUT_COMMIT_INTERVAL = Duration.ofSeconds(10);

    static final int PARTITIONS = 2;

    /**
     * Variants to measure without editing code: {@code -Dbench.table.<property>=<value>} overrides a table property
     * of every table the run creates, {@code -Dbench.connector.<key>=<value>} a key of every Iceberg connector.
     */
    static final String TABLE_OVERRIDE = "bench.table.";

    static final String CONNECTOR_OVERRIDE = "bench.connector.";

    static final Namespace NAMESPACE = Namespace.of("bench");

    /** The query whose planning and reading the two layouts are compared with. */
    static final Expression ONE_TYPE = Expressions.equal("event_type", EventType.OUTBOUND_CLICK.name());

    /** Records per second over the contender's whole run. */
    public record Rate(double recordsPerSecond, double seconds) {}

    /** What a query filtered to one event type planned and read: data files, their bytes, rows, seconds. */
    public record Scan(long files, long bytes, long rows, double seconds) {}

    /** One Iceberg layout's run: its rate, its commits and the files they added, and the one-type query. */
    public record Layout(
            String name, Rate rate, long rows, List<Snapshot> commits, long files, long bytes, Scan oneType) {
        double filesPerCommit() {
            return commits.stream()
                    .mapToLong(s -> added(s, "added-data-files"))
                    .average()
                    .orElse(0);
        }

        /**
         * Records per second between the first and the last commit (the records of all commits but the first over
         * the time between them): the sink's rate with its start-up and the wait for the first commit left out.
         * Meaningful with three or more commits; a little low, as the last interval includes the backlog's tail.
         */
        double steadyRecordsPerSecond() {
            if (commits.size() < 3) {
                return Double.NaN;
            }
            List<Snapshot> ordered = commits.stream()
                    .sorted(Comparator.comparingLong(Snapshot::timestampMillis))
                    .toList();
            long records = ordered.subList(1, ordered.size()).stream()
                    .mapToLong(c -> added(c, "added-records"))
                    .sum();
            double seconds = (ordered.get(ordered.size() - 1).timestampMillis()
                            - ordered.get(0).timestampMillis())
                    / 1e3;
            return records / seconds;
        }

        double megabytesPerCommit() {
            return commits.stream()
                            .mapToLong(s -> added(s, "added-files-size"))
                            .average()
                            .orElse(0)
                    / 1e6;
        }

        String line() {
            return String.format(
                    "  %-26s %,10.0f records/s  %3d commits, %5.1f files and %6.1f MB per commit, %4d files %7.1f MB"
                            + " in all%n    between first and last commit %,.0f records/s;"
                            + " one event type: plans %d files (%.1f MB), reads %,d rows in %.2f s%n",
                    name,
                    rate.recordsPerSecond(),
                    commits.size(),
                    filesPerCommit(),
                    megabytesPerCommit(),
                    files,
                    bytes / 1e6,
                    steadyRecordsPerSecond(),
                    oneType.files(),
                    oneType.bytes() / 1e6,
                    oneType.rows(),
                    oneType.seconds());
        }
    }

    /** The whole run. */
    public record Result(
            int events,
            long bytes,
            Rate discard,
            Layout day,
            Layout dayAndType,
            Duration throughputInterval,
            Duration freshnessInterval,
            List<Duration> freshness) {

        public String report() {
            List<Long> sorted =
                    freshness.stream().map(Duration::toMillis).sorted().toList();
            return String.format(
                            "Lake benchmark (%d cores, Java %s): %,d enriched events, %.0f bytes each, %d partitions,"
                                    + " %d tasks, commit interval %d s%n",
                            Runtime.getRuntime().availableProcessors(),
                            System.getProperty("java.version"),
                            events,
                            (double) bytes / events,
                            PARTITIONS,
                            PARTITIONS,
                            throughputInterval.toSeconds())
                    + (overrides(TABLE_OVERRIDE).isEmpty()
                                    && overrides(CONNECTOR_OVERRIDE).isEmpty()
                            ? ""
                            : String.format(
                                    "  variant: table %s, connector %s%n",
                                    overrides(TABLE_OVERRIDE), overrides(CONNECTOR_OVERRIDE)))
                    + String.format(
                            "  %-26s %,10.0f records/s  (%.1f s)%n",
                            "Connect discard sink", discard.recordsPerSecond(), discard.seconds())
                    + day.line()
                    + dayAndType.line()
                    + String.format(
                            "  Iceberg day only / discard %.2f, day+type (the table's layout) / discard %.2f%n",
                            day.rate().recordsPerSecond() / discard.recordsPerSecond(),
                            dayAndType.rate().recordsPerSecond() / discard.recordsPerSecond())
                    + String.format(
                            "  freshness at a %d s commit interval (ack → committed snapshot), %d samples:"
                                    + " median %.1f s, max %.1f s%n",
                            freshnessInterval.toSeconds(),
                            sorted.size(),
                            sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e3,
                            sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e3);
        }
    }

    private LakeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Duration interval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 60_000);
        Path dir = DataDirs.temporary("lake-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                // Objects on disk, as a MinIO would keep them: the Parquet files of two million rows.
                LakeStack stack = new LakeStack(kafka, dir, interval, dir.resolve("s3"));
                EmbeddedConnect connect =
                        EmbeddedConnect.start(kafka, 0, "lake-bench", List.of(LakeStack.pluginPath()), Map.of())) {
            System.out.print(run(stack, connect, events, samples, interval, THROUGHPUT_COMMIT_INTERVAL)
                    .report());
        } finally {
            DataDirs.deleteRecursively(dir);
        }
        System.exit(0);
    }

    /**
     * One run: {@code events} through each contender with commits every {@code throughputInterval}, then
     * {@code samples} freshness samples at commits every {@code interval}.
     */
    public static Result run(
            LakeStack stack,
            EmbeddedConnect connect,
            int events,
            int samples,
            Duration interval,
            Duration throughputInterval)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String topic = "bench.enriched." + suffix;
        stack.kafka.createTopic(topic, PARTITIONS);
        stack.kafka.createTopic("bench.dlq." + suffix, 1);
        if (stack.catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(NAMESPACE)) {
            namespaces.createNamespace(NAMESPACE);
        }
        long bytes = produce(stack, topic, events);

        Map<String, String> discard = new HashMap<>();
        discard.put("connector.class", DiscardSinkConnector.class.getName());
        discard.put("topics", topic);
        discard.put("tasks.max", String.valueOf(PARTITIONS));
        discard.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        discard.put("value.converter", "io.chartpulse.serde.connect.AvroConverter");
        discard.put("value.converter.schema.registry.url", stack.registry.url());
        String discardName = "bench-discard-" + suffix;
        long started = System.nanoTime();
        ConnectorRuns.create(connect::request, discardName, discard);
        awaitCommitted(stack, "connect-" + discardName, topic, Duration.ofMinutes(30));
        Rate discardRate = rate(events, System.nanoTime() - started);
        connect.request("DELETE", "/connectors/" + discardName, null);

        Schema schema = LakeTable.ENRICHED_EVENTS.schema();
        Layout day = layout(
                stack,
                connect,
                "Iceberg, day only",
                topic,
                suffix,
                "day_" + suffix,
                PartitionSpec.builderFor(schema)
                        .day(LakeTable.ENRICHED_EVENTS.dayColumn())
                        .build(),
                events,
                throughputInterval);
        Layout dayAndType = layout(
                stack,
                connect,
                "Iceberg, day + event_type",
                topic,
                suffix,
                "day_type_" + suffix,
                LakeTable.ENRICHED_EVENTS.spec(schema),
                events,
                throughputInterval);
        return new Result(
                events,
                bytes,
                discardRate,
                day,
                dayAndType,
                throughputInterval,
                interval,
                freshness(stack, connect, suffix, samples, interval));
    }

    /** Runs the Iceberg sink from the start of {@code topic} into a new table of {@code spec}. */
    private static Layout layout(
            LakeStack stack,
            EmbeddedConnect connect,
            String name,
            String topic,
            String suffix,
            String tableName,
            PartitionSpec spec,
            int events,
            Duration commitInterval)
            throws IOException {
        Table table = createTable(stack, tableName, spec);
        String connector = "bench-" + tableName.replace('_', '-');
        long started = System.nanoTime();
        ConnectorRuns.create(connect::request, connector, icebergConfig(stack, topic, suffix, table, commitInterval));
        long rows = awaitRows(table, events, Duration.ofMinutes(60));
        Rate rate = rate(events, System.nanoTime() - started);
        connect.request("DELETE", "/connectors/" + connector, null);
        table.refresh();
        List<Snapshot> commits = new ArrayList<>();
        table.snapshots().forEach(commits::add);
        long files = 0;
        long bytes = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                files++;
                bytes += task.file().fileSizeInBytes();
            }
        }
        return new Layout(name, rate, rows, commits, files, bytes, oneType(table));
    }

    /** Plans and reads {@link #ONE_TYPE} over {@code table}, projecting two columns, as a BI query would. */
    private static Scan oneType(Table table) throws IOException {
        long files = 0;
        long bytes = 0;
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().filter(ONE_TYPE).planFiles()) {
            for (FileScanTask task : tasks) {
                files++;
                bytes += task.file().fileSizeInBytes();
            }
        }
        long started = System.nanoTime();
        long rows = 0;
        try (CloseableIterable<Record> read = IcebergGenerics.read(table)
                .where(ONE_TYPE)
                .select("event_id", "event_type")
                .build()) {
            for (Record r : read) {
                if (EventType.OUTBOUND_CLICK.name().equals(r.getField("event_type"))) {
                    rows++;
                }
            }
        }
        return new Scan(files, bytes, rows, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Single events sent one at a time, each after a random pause of up to one commit interval (so they fall at
     * random points of the commit cycle), each timed from the broker's ack until a committed snapshot holds it.
     */
    private static List<Duration> freshness(
            LakeStack stack, EmbeddedConnect connect, String suffix, int samples, Duration interval) throws Exception {
        String topic = "bench.fresh." + suffix;
        stack.kafka.createTopic(topic, 1);
        Table table = createTable(
                stack, "fresh_" + suffix, LakeTable.ENRICHED_EVENTS.spec(LakeTable.ENRICHED_EVENTS.schema()));
        String connector = "bench-fresh-" + suffix;
        ConnectorRuns.create(connect::request, connector, icebergConfig(stack, topic, suffix, table, interval));
        Random random = new Random(17);
        KafkaAvroSerializer serializer = serializer(stack);
        List<Duration> measured = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(stack, 0)) {
            for (int i = 0; i < samples; i++) {
                Thread.sleep((long) (random.nextDouble() * interval.toMillis()));
                EnrichedEvent e = event(random, i, Instant.now());
                producer.send(new ProducerRecord<>(topic, e.getAnonymousId(), serializer.serialize(topic, e)))
                        .get(30, TimeUnit.SECONDS);
                long acked = System.nanoTime();
                awaitRows(table, i + 1, interval.multipliedBy(3).plusSeconds(60));
                measured.add(Duration.ofNanos(System.nanoTime() - acked));
            }
        }
        connect.request("DELETE", "/connectors/" + connector, null);
        return measured;
    }

    private static Table createTable(LakeStack stack, String name, PartitionSpec spec) {
        Schema schema = spec.schema();
        Map<String, String> properties = new HashMap<>(LakeTable.properties());
        properties.putAll(overrides(TABLE_OVERRIDE));
        return stack.catalog
                .buildTable(TableIdentifier.of(NAMESPACE, name), schema)
                .withPartitionSpec(spec)
                .withProperties(properties)
                .create();
    }

    /** The system properties named {@code prefix + key}, as key → value: a variant to measure, printed in the report. */
    static Map<String, String> overrides(String prefix) {
        Map<String, String> found = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix))
                .forEach(k -> found.put(k.substring(prefix.length()), System.getProperty(k)));
        return found;
    }

    /** The enriched-events connector of connect-config/connectors, resolved, pointed at {@code topic} and {@code table}. */
    private static Map<String, String> icebergConfig(
            LakeStack stack, String topic, String suffix, Table table, Duration commitInterval) {
        Map<String, String> config = new HashMap<>(
                LakeCatalog.resolveAll(LakeStack.connectorConfig(LakeTable.ENRICHED_EVENTS), stack.environment::get));
        config.remove("name");
        config.put("topics", topic);
        config.put("tasks.max", String.valueOf(PARTITIONS));
        config.put("iceberg.tables", table.name().substring(table.name().indexOf('.') + 1));
        config.put("iceberg.control.commit.interval-ms", String.valueOf(commitInterval.toMillis()));
        config.put("errors.deadletterqueue.topic.name", "bench.dlq." + suffix);
        config.putAll(overrides(CONNECTOR_OVERRIDE));
        return config;
    }

    /** Waits until the current snapshot of {@code table} holds at least {@code rows} records; returns how many. */
    private static long awaitRows(Table table, long rows, Duration atMost) throws IOException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            table.refresh();
            Snapshot current = table.currentSnapshot();
            long total = current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
            if (total >= rows) {
                return total;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        table.name() + " holds " + total + " of " + rows + " records after " + atMost);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + table.name(), e);
            }
        }
    }

    /** Waits until consumer group {@code group} has committed the end of every partition of {@code topic}. */
    private static void awaitCommitted(LakeStack stack, String group, String topic, Duration atMost) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long end = 0;
        for (var info : stack.kafka
                .admin()
                .listOffsets(latest)
                .all()
                .get(30, TimeUnit.SECONDS)
                .values()) {
            end += info.offset();
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            long committed = 0;
            for (var offset : stack.kafka
                    .admin()
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                committed += offset == null ? 0 : offset.offset();
            }
            if (committed >= end) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " committed " + committed + " of " + end + " after " + atMost);
            }
            Thread.sleep(100);
        }
    }

    private static long produce(LakeStack stack, String topic, int events) {
        KafkaAvroSerializer serializer = serializer(stack);
        Random random = new Random(42);
        Instant start = Instant.now().minus(Duration.ofHours(2));
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = producer(stack, 20)) {
            for (int i = 0; i < events; i++) {
                EnrichedEvent e = event(random, i, start.plusMillis(i * 5L));
                byte[] value = serializer.serialize(topic, e);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, e.getAnonymousId(), value));
            }
            producer.flush();
        }
        return bytes;
    }

    /** Event {@code i} of the mix: 50 000 visitors, 200 charts of up to 40 products, 12 merchants. */
    static EnrichedEvent event(Random random, int i, Instant at) {
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        EventType type = SampleRecords.TRAFFIC_MIX.get(random.nextInt(SampleRecords.TRAFFIC_MIX.size()));
        UUID id = new UUID(random.nextLong(), random.nextLong());
        int rank = 1 + random.nextInt(40);
        Product product = Product.newBuilder(sample.getProduct())
                .setProductId("p-" + random.nextInt(4000))
                .setRank(rank)
                .setPrice(9.99 + random.nextInt(200_000) / 100.0)
                .setMerchant("merchant-" + random.nextInt(12))
                .build();
        return EnrichedEvent.newBuilder(sample)
                .setEventId(id)
                .setDedupFingerprint(id.toString())
                .setEventType(type)
                .setAnonymousId("visitor-" + (i % 50_000))
                .setSessionId("session-" + (i % 50_000) + "-" + i / 200_000)
                .setServerSessionId("ss-" + (i % 50_000) + "-" + i / 200_000)
                .setChart(Chart.newBuilder(sample.getChart())
                        .setChartId("chart-" + random.nextInt(200))
                        .build())
                .setProduct(product)
                .setIsBot(random.nextInt(20) == 0)
                .setCreatedAt(at)
                .setSentAt(at)
                .setReceivedAt(at)
                .setDerivedAt(at)
                .setProcessedAt(at.plusMillis(300))
                .build();
    }

    private static KafkaAvroSerializer serializer(LakeStack stack) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(stack.registry.serdeConfig(), false);
        return serializer;
    }

    private static KafkaProducer<String, byte[]> producer(LakeStack stack, int lingerMs) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        lingerMs,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static Rate rate(int events, long nanos) {
        double seconds = nanos / 1e9;
        return new Rate(events / seconds, seconds);
    }

    static long added(Snapshot snapshot, String key) {
        return Long.parseLong(snapshot.summary().getOrDefault(key, "0"));
    }
}

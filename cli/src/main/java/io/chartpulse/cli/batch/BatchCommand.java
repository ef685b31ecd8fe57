package io.chartpulse.cli.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.batch.BatchRuns;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.KafkaState;
import io.chartpulse.batch.LakeInput;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.Readiness;
import io.chartpulse.batch.RollupJob;
import io.chartpulse.batch.RollupTable;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.DurationOption;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.connectors.ConnectorFile;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chartpulse batch …}: the batch half — rollups, reconciliation, readiness and gaps, each bound to a data
 * interval.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = "The batch half: per-interval rollups of the lake into MongoDB and Iceberg, reconciliation of"
                + " the raw archive against the lake and MongoDB, and the readiness and gap checks a scheduler waits"
                + " on. Every run is bound to an interval: a UTC day (2026-12-01) or hour (2026-12-01T13).",
        subcommands = {
            BatchCommand.Rollup.class,
            BatchCommand.Reconcile.class,
            BatchCommand.Ready.class,
            BatchCommand.Gaps.class
        },
        footer = {
            "%nExamples:",
            "  chartpulse batch ready --interval 2026-12-01 && chartpulse batch rollup --interval 2026-12-01",
            "  chartpulse batch reconcile --interval 2026-12-01T13",
            "  chartpulse batch gaps --since 2026-11-01",
            "  chartpulse batch rollup --dev --interval 2026-12-01   # against ./chartpulse dev"
        })
public final class BatchCommand {

    /** The S3 sink connector config the raw archive's layout and bucket are read from, relative to the repository. */
    public static final String DEFAULT_ARCHIVE_CONNECTOR = "connect-config/connectors/s3-raw-events.json";

    /** Where every batch command finds the lake, the archive, MongoDB and Kafka. */
    public static final class Settings {
        @Mixin
        LakeCommand.CatalogOptions catalog;

        @Option(
                names = "--archive-connector-config",
                defaultValue = "${env:CHARTPULSE_ARCHIVE_CONNECTOR_CONFIG:-" + DEFAULT_ARCHIVE_CONNECTOR + "}",
                description = "S3 sink connector config of the raw archive (env CHARTPULSE_ARCHIVE_CONNECTOR_CONFIG;"
                        + " default ${DEFAULT-VALUE}).")
        Path archiveConnectorConfig;

        @Option(
                names = "--mongo-uri",
                description = "MongoDB connection string (env CHARTPULSE_MONGO_URI; default"
                        + " mongodb://localhost:27017, or the dev stack's with --dev).")
        String mongoUri;

        @Option(
                names = "--mongo-database",
                description = "MongoDB database (env CHARTPULSE_MONGO_DATABASE; default chartpulse).")
        String mongoDatabase;

        @Option(
                names = "--bootstrap-servers",
                description = "Kafka bootstrap servers (env CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS; default"
                        + " 127.0.0.1:9092).")
        String bootstrapServers;

        @Option(
                names = "--registry-url",
                description = "Schema registry (env CHARTPULSE_REGISTRY_URL; default http://127.0.0.1:8081).")
        String registryUrl;

        @Option(
                names = "--lookback",
                defaultValue = "${env:CHARTPULSE_BATCH_LOOKBACK:-PT6H}",
                description = "How long past an interval's end late events are waited for: the interval is closed"
                        + " only after it (ISO-8601 duration; env CHARTPULSE_BATCH_LOOKBACK; default"
                        + " ${DEFAULT-VALUE}).")
        String lookback;

        @Option(
                names = "--pushgateway",
                defaultValue = "${env:CHARTPULSE_PUSHGATEWAY_URL:-}",
                description = "Prometheus Pushgateway to tell each rollup and reconcile run's outcome to, for the batch"
                        + " SLA alerts (env CHARTPULSE_PUSHGATEWAY_URL; default none: nothing pushed).")
        String pushgateway;

        BatchMetrics metrics(PrintWriter err) {
            return new BatchMetrics(pushgateway, err);
        }

        public UnaryOperator<String> variables() {
            return catalog.variables();
        }

        public String value(String option, String variable, String fallback) {
            if (option != null) {
                return option;
            }
            String v = variables().apply(variable);
            return v == null || v.isEmpty() ? fallback : v;
        }

        public Duration lookback() {
            return DurationOption.parse("--lookback", lookback, "PT6H");
        }

        public Catalog openCatalog() {
            return LakeCommand.openCatalog(catalog.connectorConfig, variables());
        }

        public MongoClient openMongo() {
            String uri = value(mongoUri, "CHARTPULSE_MONGO_URI", "mongodb://localhost:27017");
            try {
                return MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString(uri))
                        .applyToClusterSettings(b -> b.serverSelectionTimeout(15, TimeUnit.SECONDS))
                        .build());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--mongo-uri: " + e.getMessage());
            }
        }

        public MongoDatabase database(MongoClient client) {
            return client.getDatabase(value(mongoDatabase, "CHARTPULSE_MONGO_DATABASE", "chartpulse"));
        }

        public RawArchive openArchive() {
            Map<String, String> config =
                    ConnectorFile.read(archiveConnectorConfig).config();
            try {
                return RawArchive.open(LakeCatalog.resolveAll(config, variables()));
            } catch (RuntimeException e) {
                throw new CliException(ExitCode.USAGE, archiveConnectorConfig + ": " + e.getMessage());
            }
        }

        String archiveGroup() {
            return "connect-" + ConnectorFile.read(archiveConnectorConfig).name();
        }

        String lakeGroup() {
            return "connect-" + ConnectorFile.read(catalog.connectorConfig).name();
        }

        public KafkaState openKafka() {
            return new KafkaState(kafkaClient(), registry(), Topic.INVALID_EVENTS.topicName());
        }

        /** The Kafka clients' settings: the bootstrap servers. */
        public Map<String, Object> kafkaClient() {
            return Map.of(
                    "bootstrap.servers",
                    value(bootstrapServers, "CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        }

        /** The Avro serdes' settings: the registry (env CHARTPULSE_REGISTRY_URL; default http://127.0.0.1:8081). */
        public Map<String, String> registry() {
            return Map.of(
                    "schema.registry.url", value(registryUrl, "CHARTPULSE_REGISTRY_URL", "http://127.0.0.1:8081"));
        }
    }

    /** The interval option of the commands bound to one. */
    static final class IntervalOption {
        @Option(
                names = "--interval",
                required = true,
                description = "The data interval: a UTC day (2026-12-01) or hour (2026-12-01T13).")
        String interval;

        Interval parse() {
            try {
                return Interval.parse(interval);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--interval: " + e.getMessage());
            }
        }
    }

    /** Where a rollup or a replay writes: {@code --target mongo,lake}. */
    public static final class TargetOption {
        @Option(
                names = "--target",
                split = ",",
                defaultValue = "mongo,lake",
                description = "Where to write: mongo, lake or both (default ${DEFAULT-VALUE}).")
        List<String> targets;

        /** The targets named, each refused by name when unknown. */
        public List<RollupJob.Target> parse() {
            List<RollupJob.Target> to = new ArrayList<>();
            for (String t : targets) {
                try {
                    to.add(RollupJob.Target.of(t));
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCode.USAGE, "--target: " + e.getMessage());
                }
            }
            return to;
        }
    }

    static void close(Object resource) {
        if (resource instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a client on the way out
            }
        }
    }

    static String json(Object value) {
        try {
            return new ObjectMapper()
                    .findAndRegisterModules()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    @Command(
            name = "rollup",
            mixinStandardHelpOptions = true,
            description = "Roll an interval up: product_daily, chart_daily, funnel_daily and rank_ctr_daily, from the"
                    + " lake's enriched_events and sessions, into MongoDB and the lake's rollup tables. Replaces the"
                    + " interval's rows; running it again gives the same rows.",
            footer = {"%nExample:", "  chartpulse batch rollup --interval 2026-12-01 --target mongo,lake"})
    static final class Rollup implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Settings settings;

        @Mixin
        IntervalOption interval;

        @Mixin
        TargetOption targets;

        @Override
        public Integer call() {
            Interval i = interval.parse();
            List<RollupJob.Target> to = targets.parse();
            Catalog catalog = settings.openCatalog();
            MongoClient client = settings.openMongo();
            BatchMetrics metrics = settings.metrics(spec.commandLine().getErr());
            try {
                MongoDatabase db = settings.database(client);
                RollupJob.Result r;
                try {
                    r = RollupJob.over(catalog, db).run(i, to);
                } catch (RuntimeException e) {
                    metrics.push(RollupJob.JOB, i.grain(), Instant.now(), false, Optional.empty());
                    throw e;
                }
                metrics.push(
                        RollupJob.JOB,
                        i.grain(),
                        Instant.now(),
                        true,
                        new BatchRuns(db).newest(RollupJob.JOB, i.grain()).map(Interval::end));
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "rolled up %s: %d events, %d sessions in %d ms (run %s)%n",
                        i, r.events(), r.sessions(), r.took().toMillis(), r.runId());
                for (RollupTable t : RollupTable.values()) {
                    out.printf(
                            "  %-16s %6d rows%n",
                            t.tableName(r.interval().grain()), r.rows().get(t));
                }
                out.flush();
                return ExitCode.OK;
            } finally {
                close(client);
                close(catalog);
            }
        }
    }

    @Command(
            name = "reconcile",
            mixinStandardHelpOptions = true,
            description = "Count an interval's events (by received_at) in the raw archive, the lake's enriched_events,"
                    + " MongoDB events and the invalid topic, and check that they agree. The JSON report goes to"
                    + " stdout, to s3://<bucket>/reports/reconcile/ and to MongoDB reconcile_reports. Exit code 1 when"
                    + " a closed interval's counts disagree; an open interval is reported without a verdict.",
            footer = {"%nExample:", "  chartpulse batch reconcile --interval 2026-12-01"})
    static final class Reconcile implements Callable<Integer> {
        /** The step name its runs are pushed under. */
        static final String RECONCILE_STEP = "reconcile";

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Settings settings;

        @Mixin
        IntervalOption interval;

        @Option(
                names = "--no-invalid-topic",
                description = "Leave the invalid topic out (no Kafka or registry needed); the interval is then taken"
                        + " as closed once its lookback has passed.")
        boolean noInvalidTopic;

        @Override
        public Integer call() {
            Interval i = interval.parse();
            Catalog catalog = settings.openCatalog();
            MongoClient client = settings.openMongo();
            RawArchive archive = settings.openArchive();
            KafkaState kafka = noInvalidTopic ? null : settings.openKafka();
            BatchMetrics metrics = settings.metrics(spec.commandLine().getErr());
            try {
                boolean closed = kafka == null
                        ? !Instant.now().isBefore(i.end().plus(settings.lookback()))
                        : readiness(settings, catalog, kafka).check(i).closed();
                io.chartpulse.batch.Reconcile.Report report = new io.chartpulse.batch.Reconcile(
                                archive,
                                new LakeInput(catalog),
                                settings.database(client),
                                kafka,
                                TopologySettings.defaults().maxClockSkew(),
                                Clock.systemUTC())
                        .run(i, closed);
                PrintWriter out = spec.commandLine().getOut();
                out.println(json(report.toMap()));
                out.flush();
                boolean agree = report.status() != io.chartpulse.batch.Reconcile.Status.MISMATCH;
                metrics.push(RECONCILE_STEP, i.grain(), Instant.now(), agree, Optional.empty());
                return agree ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } catch (RuntimeException e) {
                metrics.push(RECONCILE_STEP, i.grain(), Instant.now(), false, Optional.empty());
                throw e;
            } finally {
                close(kafka);
                close(archive);
                close(client);
                close(catalog);
            }
        }
    }

    static Readiness readiness(Settings settings, Catalog catalog, KafkaState kafka) {
        return readiness(settings, catalog, kafka, false);
    }

    static Readiness readiness(Settings settings, Catalog catalog, KafkaState kafka, boolean allowQuiet) {
        return new Readiness(
                catalog,
                kafka,
                new Readiness.Groups(
                        Topic.RAW_EVENTS.topicName(),
                        settings.archiveGroup(),
                        settings.value(
                                null, "CHARTPULSE_STREAMS_APPLICATION_ID", StreamsAppConfig.DEFAULT_APPLICATION_ID),
                        Topic.ENRICHED_EVENTS.topicName(),
                        settings.lakeGroup()),
                settings.lookback(),
                allowQuiet,
                Clock.systemUTC());
    }

    @Command(
            name = "ready",
            mixinStandardHelpOptions = true,
            description = "Whether an interval is closed: its lookback has passed, the lake's watermark (newest"
                    + " committed received_at) has passed its end + lookback, and so has the S3 sink's committed"
                    + " offset on every partition of the raw topic. Exit code 0 when closed, 1 when not (each reason"
                    + " printed).",
            footer = {"%nExample:", "  chartpulse batch ready --interval 2026-12-01 --wait PT2H"})
    static final class Ready implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Settings settings;

        @Mixin
        IntervalOption interval;

        @Option(
                names = "--allow-quiet",
                description = "Count the lake as caught up when the streams app and the Iceberg sink have consumed"
                        + " everything, even if no event arrived after the interval (a quiet site). A lake commit in"
                        + " flight may then be missed; the next rollup of the interval counts it.")
        boolean allowQuiet;

        @Option(
                names = "--wait",
                description = "Keep checking, once a minute, up to this long (ISO-8601 duration) before answering.")
        String wait;

        @Override
        public Integer call() throws InterruptedException {
            Interval i = interval.parse();
            Duration waitFor = wait == null ? Duration.ZERO : DurationOption.parse("--wait", wait, "PT2H");
            Catalog catalog = settings.openCatalog();
            KafkaState kafka = settings.openKafka();
            PrintWriter out = spec.commandLine().getOut();
            try {
                Readiness readiness = readiness(settings, catalog, kafka, allowQuiet);
                Instant giveUp = Instant.now().plus(waitFor);
                while (true) {
                    Readiness.Verdict v = readiness.check(i);
                    if (v.closed()) {
                        out.printf("closed %s (due %s, lake watermark %s)%n", i, v.due(), v.lakeWatermark());
                        out.flush();
                        return ExitCode.OK;
                    }
                    if (!Instant.now().plus(Duration.ofMinutes(1)).isBefore(giveUp)) {
                        out.printf("open %s, waiting for:%n", i);
                        v.waitingFor().forEach(w -> out.println("  " + w));
                        out.flush();
                        return ExitCode.CHECK_FAILED;
                    }
                    Thread.sleep(Duration.ofMinutes(1).toMillis());
                }
            } finally {
                close(kafka);
                close(catalog);
            }
        }
    }

    @Command(
            name = "gaps",
            mixinStandardHelpOptions = true,
            description = "The intervals since a day that are due (end + lookback passed) and that no rollup has"
                    + " completed, one per line, oldest first. Exit code 1 when there are any.",
            footer = {"%nExample:", "  chartpulse batch gaps --since 2026-11-01 --grain day"})
    static final class Gaps implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Settings settings;

        @Option(names = "--since", required = true, description = "The first interval to look at (a day or hour).")
        String since;

        @Option(names = "--grain", defaultValue = "day", description = "day or hour (default ${DEFAULT-VALUE}).")
        String grain;

        @Option(
                names = "--json-file",
                description = "Also write the gaps as a JSON list of interval names to this file (e.g."
                        + " /airflow/xcom/return.json, for a KubernetesPodOperator's XCom).")
        Path jsonFile;

        @Override
        public Integer call() {
            Interval from;
            Interval.Grain g;
            try {
                from = Interval.parse(since);
                g = Interval.Grain.of(grain);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            }
            MongoClient client = settings.openMongo();
            try {
                List<Interval> gaps = new BatchRuns(settings.database(client))
                        .gaps(RollupJob.JOB, g, from.start(), Instant.now().minus(settings.lookback()));
                PrintWriter out = spec.commandLine().getOut();
                gaps.forEach(out::println);
                out.flush();
                if (jsonFile != null) {
                    try {
                        if (jsonFile.getParent() != null) {
                            Files.createDirectories(jsonFile.getParent());
                        }
                        Files.writeString(
                                jsonFile, json(gaps.stream().map(Interval::key).toList()));
                    } catch (IOException e) {
                        throw new CliException(ExitCode.USAGE, "--json-file " + jsonFile + ": " + e);
                    }
                }
                return gaps.isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } finally {
                close(client);
            }
        }
    }
}

package io.chartpulse.cli.privacy;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.avro.ErasureStore;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.erasure.Erasure;
import io.chartpulse.batch.erasure.ErasureTopics;
import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.DurationOption;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.connectors.ConnectorFile;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.service.StreamsAppConfig;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chartpulse erase}: a data subject's erasure request. {@code erase --anonymous-id …} records the request
 * (the streams app stops taking the visitor's events from then on) and prints its id; {@code erase run} removes
 * the visitors of every pending request from MongoDB, the lake and the raw archive; {@code erase status <id>} shows
 * each store's progress from the audit topic.
 */
@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        subcommands = {EraseCommand.Run.class, EraseCommand.Status.class, EraseCommand.Serve.class},
        description = "Request the erasure of a visitor: written to chart.erasure.requests.v1 (one record per"
                + " identifier), from which moment the streams app drops the visitor's new events. Prints the request"
                + " id. Then `erase run` (scheduled, or by hand) removes them from every store and `erase status <id>`"
                + " shows where it stands. See PRIVACY.md.",
        footer = {
            "%nExamples:",
            "  chartpulse erase --anonymous-id 5b1f…-visitor --requester ticket-4711",
            "  chartpulse erase --user-id u-1234 --anonymous-id 5b1f… --anonymous-id 77aa… --requester dpo@site",
            "  chartpulse erase run --dev",
            "  chartpulse erase status 1f0c…-request --dev"
        })
public final class EraseCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--anonymous-id", description = "An anonymous id of the visitor (repeatable).")
    List<String> anonymousIds = new ArrayList<>();

    @Option(names = "--user-id", description = "A publisher user id of the visitor (repeatable).")
    List<String> userIds = new ArrayList<>();

    @Option(
            names = "--requester",
            description = "Who asked (a ticket, the DPO); recorded with the request (default: cli:<user name>).")
    String requester;

    @Mixin
    BatchCommand.Settings settings;

    @Override
    public Integer call() {
        ErasureRequest request;
        try {
            request = Erasure.request(
                    anonymousIds,
                    userIds,
                    requester != null ? requester : "cli:" + System.getProperty("user.name", "unknown"),
                    Instant.now());
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCode.USAGE, e.getMessage() + " (--anonymous-id, --user-id, --requester; or a subcommand)");
        }
        try (ErasureTopics topics = new ErasureTopics(settings.kafkaClient(), settings.registry())) {
            topics.request(request);
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.UNREACHABLE, "The request was not recorded: " + e.getMessage());
        }
        spec.commandLine().getOut().println(request.getRequestId());
        spec.commandLine()
                .getErr()
                .printf(
                        "erasure requested for %d identifier(s); new events are dropped from now on; run `chartpulse"
                                + " erase run` to remove the stored ones%n",
                        anonymousIds.size() + userIds.size());
        return ExitCode.OK;
    }

    /** {@code erase run}: every pending request (or one), store by store. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Erase the visitors of every request not yet complete (or of --request): MongoDB events and"
                    + " sessions, the lake's enriched_events and sessions rows (copy-on-write, older snapshots"
                    + " expired), the raw archive's objects (rewritten without them), and an audit record per store."
                    + " Safe to run again and to kill: a store already audited is skipped. Exit 1 when a request could"
                    + " not finish yet (the S3 sink behind): run again later.",
            footer = {
                "%nExamples:",
                "  chartpulse erase run",
                "  chartpulse erase run --request 1f0c…-request --archive-wait PT1H",
                "  chartpulse erase run --dev --no-lake"
            })
    public static final class Run implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        BatchCommand.Settings settings;

        @Option(names = "--request", description = "Only this request id.")
        String requestId;

        @Option(names = "--no-lake", description = "There is no lake (compose without its profile): skip it.")
        boolean noLake;

        @Option(
                names = "--connectors-dir",
                defaultValue = "connect-config/connectors",
                description = "The connector configs: the sinks of the enriched and sessions topics are waited for"
                        + " before the stores are erased (default ${DEFAULT-VALUE}).")
        Path connectorsDir;

        @Option(
                names = "--streams-application-id",
                defaultValue =
                        "${env:CHARTPULSE_STREAMS_APPLICATION_ID:-" + StreamsAppConfig.DEFAULT_APPLICATION_ID + "}",
                description = "The streams app's application id, its consumer group (default ${DEFAULT-VALUE}).")
        String streamsApplicationId;

        @Option(
                names = "--archive-wait",
                defaultValue = "PT15M",
                description = "How long to wait for the S3 sink to complete its objects to the raw topic's end"
                        + " before leaving the archive for the next run (ISO-8601; default ${DEFAULT-VALUE}).")
        String archiveWait;

        @Override
        public Integer call() {
            Duration wait = DurationOption.parse("--archive-wait", archiveWait, "PT15M");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int incomplete = 0;
            Catalog lake = noLake ? null : settings.openCatalog();
            try (ErasureTopics topics = new ErasureTopics(settings.kafkaClient(), settings.registry());
                    MongoClient client = settings.openMongo();
                    RawArchive archive = settings.openArchive()) {
                Erasure erasure = new Erasure(
                        topics,
                        upstreams(connectorsDir, streamsApplicationId, !noLake),
                        settings.database(client),
                        lake,
                        archive,
                        wait,
                        Clock.systemUTC(),
                        line -> {
                            err.println(line);
                            err.flush();
                        });
                Map<String, ErasureRequest> requests = topics.requests();
                if (requestId != null && !requests.containsKey(requestId)) {
                    throw new CliException(ExitCode.USAGE, "No erasure request " + requestId);
                }
                int complete = 0;
                for (ErasureRequest r : requests.values()) {
                    if (requestId != null && !requestId.equals(r.getRequestId())) {
                        continue;
                    }
                    if (Erasure.complete(topics.audit(r.getRequestId()))) {
                        continue;
                    }
                    try {
                        erasure.run(r);
                        complete++;
                    } catch (Erasure.NotYetException e) {
                        incomplete++;
                        err.println(r.getRequestId() + ": not complete yet: " + e.getMessage());
                    }
                }
                out.printf("%d erasure(s) completed, %d to run again%n", complete, incomplete);
            } catch (MongoException e) {
                throw new CliException(ExitCode.REMOTE_ERROR, "MongoDB: " + e.getMessage());
            } finally {
                if (lake instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        // the catalog's connection pool; nothing left to write
                    }
                }
            }
            return incomplete == 0 ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    /**
     * What an erasure waits for before it deletes: the streams app on the raw topic, then every sink connector of
     * {@code connectorsDir} that reads the enriched or the sessions topic (MongoDB's, and the lake's unless
     * {@code lake} is false), each a consumer group {@code connect-<name>}.
     */
    public static List<Erasure.Upstream> upstreams(Path connectorsDir, String streamsApplicationId, boolean lake) {
        List<Erasure.Upstream> out = new ArrayList<>();
        out.add(new Erasure.Upstream(streamsApplicationId, Topic.RAW_EVENTS.topicName()));
        List<Path> files;
        try (Stream<Path> list = Files.list(connectorsDir)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Cannot list the connector configs in " + connectorsDir);
        }
        Set<String> visitorTopics = Set.of(Topic.ENRICHED_EVENTS.topicName(), Topic.SESSIONS.topicName());
        for (Path f : files) {
            ConnectorFile connector = ConnectorFile.read(f);
            String topic = connector.config().getOrDefault("topics", "");
            boolean iceberg =
                    connector.config().getOrDefault("connector.class", "").contains("Iceberg");
            if (visitorTopics.contains(topic) && (lake || !iceberg)) {
                out.add(new Erasure.Upstream("connect-" + connector.name(), topic));
            }
        }
        return out;
    }

    /** {@code erase serve}: the authenticated HTTP endpoint for requests ({@link ErasureServer}). */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Serve the erasure endpoint until stopped: POST /v1/erasures files a request"
                    + " ({\"anonymous_ids\": [...], \"user_ids\": [...], \"requester\": \"...\"} → 202"
                    + " {\"request_id\"}), GET /v1/erasures/<id> gives each store's state. Every call needs"
                    + " \"Authorization: Bearer <token>\"; the token from --token-file or CHARTPULSE_ERASURE_TOKEN (at"
                    + " least 16 characters). Off unless started; binds to 127.0.0.1 unless told otherwise.",
            footer = {
                "%nExamples:",
                "  CHARTPULSE_ERASURE_TOKEN=$(cat /run/secrets/erasure-token) chartpulse erase serve --port 8095",
                "  curl -H \"Authorization: Bearer $TOKEN\" -d '{\"anonymous_ids\":[\"5b1f…\"],\"requester\":\"dpo\"}'"
                        + " http://127.0.0.1:8095/v1/erasures"
            })
    public static final class Serve implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        BatchCommand.Settings settings;

        @Option(
                names = "--host",
                defaultValue = "${env:CHARTPULSE_ERASURE_HOST:-127.0.0.1}",
                description = "Address to bind (env CHARTPULSE_ERASURE_HOST; default ${DEFAULT-VALUE}).")
        String host;

        @Option(
                names = "--port",
                defaultValue = "${env:CHARTPULSE_ERASURE_PORT:-8095}",
                description = "Port (env CHARTPULSE_ERASURE_PORT; default ${DEFAULT-VALUE}).")
        int port;

        @Option(
                names = "--token-file",
                description = "File holding the bearer token (default: the variable CHARTPULSE_ERASURE_TOKEN).")
        Path tokenFile;

        @Override
        public Integer call() throws Exception {
            String token;
            if (tokenFile != null) {
                try {
                    token = Files.readString(tokenFile);
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "Cannot read --token-file " + tokenFile);
                }
            } else {
                token = System.getenv("CHARTPULSE_ERASURE_TOKEN");
            }
            if (token == null || token.strip().length() < 16) {
                throw new CliException(
                        ExitCode.USAGE,
                        "The endpoint needs a bearer token of at least 16 characters: --token-file or"
                                + " CHARTPULSE_ERASURE_TOKEN");
            }
            PrintWriter err = spec.commandLine().getErr();
            CountDownLatch stopped = new CountDownLatch(1);
            try (ErasureTopics topics = new ErasureTopics(settings.kafkaClient(), settings.registry());
                    ErasureServer server = ErasureServer.start(host, port, token, topics, Clock.systemUTC(), line -> {
                        err.println(line);
                        err.flush();
                    })) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "chartpulse-erasure-stop"));
                err.printf("erasure endpoint on http://%s:%d%s%n", host, server.port(), ErasureServer.PATH);
                err.flush();
                stopped.await();
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "Cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            return ExitCode.OK;
        }
    }

    /** {@code erase status <id>}: the request and each store's audit record. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show an erasure request and, per store, whether it is done (when, what was removed) or"
                    + " pending. Exit 1 while any store is pending.",
            footer = {"%nExamples:", "  chartpulse erase status 1f0c…-request", "  chartpulse erase status 1f0c… --dev"
            })
    public static final class Status implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        BatchCommand.Settings settings;

        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The id `chartpulse erase` printed.")
        String requestId;

        @Option(
                names = "--bound",
                defaultValue = "${env:CHARTPULSE_ERASURE_BOUND:-PT24H}",
                description = "How long an erasure may take from its request before it is late (ISO-8601; env"
                        + " CHARTPULSE_ERASURE_BOUND; default ${DEFAULT-VALUE}).")
        String bound;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ErasureTopics topics = new ErasureTopics(settings.kafkaClient(), settings.registry())) {
                ErasureRequest request = topics.requests().get(requestId);
                if (request == null) {
                    throw new CliException(ExitCode.USAGE, "No erasure request " + requestId);
                }
                Map<String, ErasureAudit> audit = topics.audit(requestId);
                out.printf(
                        "request %s: %d anonymous id(s), %d user id(s), requested %s by %s%n",
                        requestId,
                        request.getAnonymousIds().size(),
                        request.getUserIds().size(),
                        request.getRequestedAt(),
                        request.getRequester());
                Instant last = null;
                for (ErasureStore store : Erasure.STORES) {
                    ErasureAudit a = audit.get(store.name());
                    if (a == null) {
                        out.printf("  %-12s pending%n", store);
                    } else {
                        out.printf(
                                "  %-12s done %s, %d removed: %s%n",
                                store, a.getFinishedAt(), a.getRemoved(), a.getDetail());
                        last = last == null || a.getFinishedAt().isAfter(last) ? a.getFinishedAt() : last;
                    }
                }
                Duration limit = DurationOption.parse("--bound", bound, "PT24H");
                Instant due = request.getRequestedAt().plus(limit);
                boolean complete = Erasure.complete(audit);
                if (complete) {
                    Duration took = Duration.between(request.getRequestedAt(), last);
                    out.printf(
                            "complete in %s%s%n",
                            took, took.compareTo(limit) > 0 ? " (past the " + limit + " bound)" : "");
                } else {
                    out.printf("pending; due by %s%s%n", due, Instant.now().isAfter(due) ? " (late)" : "");
                }
                return complete ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } catch (CliException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CliException(ExitCode.UNREACHABLE, "Cannot read the erasure topics: " + e.getMessage());
            }
        }
    }
}

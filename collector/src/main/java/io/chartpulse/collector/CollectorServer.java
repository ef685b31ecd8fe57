package io.chartpulse.collector;

import io.chartpulse.collector.http.CollectorRoutes;
import io.chartpulse.collector.kafka.ErasureList;
import io.chartpulse.collector.kafka.EventProducer;
import io.chartpulse.collector.limits.ClientAddress;
import io.chartpulse.collector.limits.RateLimiter;
import io.chartpulse.config.ServiceMain;
import io.chartpulse.serde.avro.AvroSerdeConfig;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: the producer, the HTTP server and two background loops on worker threads, one preparing
 * the producer (schemas registered, topic metadata fetched) until it succeeds, one probing Kafka and the registry
 * for {@code /readyz}. Requests get 503 until the producer is prepared.
 */
public final class CollectorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);
    private static final long PROBE_INTERVAL_MS = 5_000;

    private final Vertx vertx;
    private final int port;
    private final EventProducer producer;
    private final Admin admin;
    private final ErasureList erasures;
    private volatile boolean prepared;
    private volatile boolean kafkaReachable;
    private volatile boolean registryReachable;

    private CollectorServer(CollectorConfig config) {
        String host = config.getString(CollectorConfig.HOST_CONFIG);
        int port = config.getInt(CollectorConfig.PORT_CONFIG);
        CollectorMetrics metrics = new CollectorMetrics();
        SchemaRegistryClient registry =
                new SchemaRegistryClient(new AvroSerdeConfig(config.serdeConfig()).registrySettings());
        this.producer = new EventProducer(
                config.kafkaConfig(),
                config.serdeConfig(),
                registry,
                config.getString(CollectorConfig.RAW_TOPIC_CONFIG),
                config.rawSchema(),
                config.getString(CollectorConfig.INVALID_TOPIC_CONFIG),
                metrics.registry());
        this.admin = Admin.create(adminConfig(config.kafkaConfig()));
        this.erasures = ErasureList.start(config.kafkaConfig(), config.getString(CollectorConfig.ERASURE_TOPIC_CONFIG));
        this.vertx = Vertx.vertx();
        try {
            RateLimiter limiter = new RateLimiter(
                    config.getDouble(CollectorConfig.RATE_LIMIT_CONFIG),
                    config.getInt(CollectorConfig.RATE_LIMIT_BURST_CONFIG));
            ClientAddress addresses = new ClientAddress(
                    config.getList(CollectorConfig.TRUSTED_PROXIES_CONFIG),
                    config.ipMode(),
                    config.getPassword(CollectorConfig.IP_SALT_CONFIG).value());
            CollectorRoutes routes =
                    new CollectorRoutes(vertx, config, metrics, producer, addresses, limiter, () -> prepared, erasures);
            this.port = ServiceMain.resolvePort(port);
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(this.port)
                    .setHttp2ClearTextEnabled(false)
                    .setTcpNoDelay(true);
            Router router = routes.router(() -> prepared && kafkaReachable && registryReachable);
            // One server per event loop on the same port: Vert.x spreads connections over them, so every core serves.
            int instances = config.getInt(CollectorConfig.HTTP_INSTANCES_CONFIG);
            vertx.deployVerticle(
                            () -> new HttpVerticle(options, router),
                            new DeploymentOptions()
                                    .setInstances(
                                            instances > 0
                                                    ? instances
                                                    : Runtime.getRuntime().availableProcessors()))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            vertx.setPeriodic(10_000, id -> limiter.sweep());
            prepare(registry);
            probe(registry);
            vertx.setPeriodic(PROBE_INTERVAL_MS, id -> probe(registry));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            closeQuietly();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "Cannot start the collector on " + host + ":" + port + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new IllegalStateException("Interrupted starting the collector", e);
        }
    }

    /** Starts the collector; it answers at once, and accepts events once the producer is prepared. */
    public static CollectorServer start(CollectorConfig config) {
        return new CollectorServer(config);
    }

    /** Whether the collector drops this visitor's events (an erasure was requested for one of the ids). */
    public boolean erased(String anonymousId, String userId) {
        return erasures.erased(anonymousId, userId);
    }

    /** Whether the list of erased visitors has read the erasure requests topic to its end at least once. */
    public boolean erasuresLoaded() {
        return erasures.caughtUp();
    }

    /** Waits until events are accepted (schemas registered, metadata fetched), up to {@code timeout}. */
    public CollectorServer awaitPrepared(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!prepared) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "The collector could not reach Kafka and the registry within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        return this;
    }

    private void prepare(SchemaRegistryClient registry) {
        vertx.executeBlocking(
                        () -> {
                            producer.prepare();
                            return null;
                        },
                        false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        prepared = true;
                        LOG.info("Collector accepting events on port {} (raw topic {})", port, producer.rawTopic());
                    } else {
                        LOG.warn(
                                "Collector not ready yet, retrying in 2 s: {}",
                                done.cause().getMessage());
                        vertx.setTimer(2_000, id -> prepare(registry));
                    }
                });
    }

    private void probe(SchemaRegistryClient registry) {
        vertx.executeBlocking(
                () -> {
                    boolean kafka;
                    try {
                        kafka = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                                .nodes()
                                .get(3, TimeUnit.SECONDS)
                                .isEmpty();
                    } catch (ExecutionException | TimeoutException e) {
                        kafka = false;
                    }
                    boolean schemas;
                    try {
                        registry.subjects();
                        schemas = true;
                    } catch (RuntimeException e) {
                        schemas = false;
                    }
                    kafkaReachable = kafka;
                    registryReachable = schemas;
                    return null;
                },
                false);
    }

    /** The port the HTTP server listens on. */
    public int port() {
        return port;
    }

    /** Stops accepting requests (closing the servers lets answered requests finish), then the producer flushes. */
    @Override
    public void close() {
        closeQuietly();
    }

    /** Serves one event loop. */
    private static final class HttpVerticle extends VerticleBase {
        private final HttpServerOptions options;
        private final Router router;
        private HttpServer server;

        HttpVerticle(HttpServerOptions options, Router router) {
            this.options = options;
            this.router = router;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options)
                    .requestHandler(router)
                    .listen()
                    .onSuccess(s -> server = s);
        }

        @Override
        public Future<?> stop() {
            return server == null ? Future.succeededFuture() : server.close();
        }
    }

    private void closeQuietly() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Vert.x did not stop cleanly", e);
        }
        producer.close();
        admin.close(Duration.ofSeconds(5));
        erasures.close();
    }

    private static Map<String, Object> adminConfig(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        // Producer-only keys would only produce warnings in the admin client.
        List.of(
                        "acks",
                        "linger.ms",
                        "batch.size",
                        "compression.type",
                        "enable.idempotence",
                        "max.block.ms",
                        "delivery.timeout.ms",
                        "buffer.memory",
                        "max.in.flight.requests.per.connection")
                .forEach(config::remove);
        return config;
    }
}

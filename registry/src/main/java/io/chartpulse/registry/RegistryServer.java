package io.chartpulse.registry;

import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.config.ServiceMain;
import io.chartpulse.registry.core.RegistryState;
import io.chartpulse.registry.core.SchemaRegistry;
import io.chartpulse.registry.http.RegistryRoutes;
import io.chartpulse.registry.store.KafkaStoreLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry: the Kafka-backed store read to its end, and the HTTP API on its port. Start with
 * {@link #start(RegistryConfig)}; {@link #close()} stops HTTP first, then the store.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    private final Vertx vertx;
    private final HttpServer http;
    private final KafkaStoreLog store;
    private final String url;

    private RegistryServer(Vertx vertx, HttpServer http, KafkaStoreLog store, String url) {
        this.vertx = vertx;
        this.http = http;
        this.store = store;
        this.url = url;
    }

    public static RegistryServer start(RegistryConfig config) {
        long started = System.nanoTime();
        String host = config.getString(RegistryConfig.HOST_CONFIG);
        int port = config.getInt(RegistryConfig.PORT_CONFIG);
        port = ServiceMain.resolvePort(port);
        String advertised = config.getString(RegistryConfig.ADVERTISED_URL_CONFIG);
        String url = advertised.isBlank()
                ? "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port
                : advertised.replaceAll("/+$", "");

        RegistryState state = new RegistryState(config.defaultCompatibility());
        KafkaStoreLog store = KafkaStoreLog.start(
                config.getString(RegistryConfig.STORE_TOPIC_CONFIG),
                state,
                config.kafkaConfig(),
                config.getShort(RegistryConfig.STORE_REPLICATION_CONFIG),
                Duration.ofMillis(config.getLong(RegistryConfig.STORE_TIMEOUT_CONFIG)),
                config.getBoolean(RegistryConfig.LEADER_ELIGIBILITY_CONFIG),
                url);
        Vertx vertx = Vertx.vertx();
        try {
            SchemaRegistry registry = new SchemaRegistry(state, store);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Gauge.builder("chartpulse.registry.schemas", state, RegistryState::schemaCount)
                    .description("Distinct schemas (ids) known")
                    .register(metrics);
            Gauge.builder("chartpulse.registry.leader", registry, r -> r.isLeader() ? 1 : 0)
                    .description("1 when this instance is the writer")
                    .register(metrics);
            // HTTP/1.1 only: registry clients speak it, and h2c upgrades from the JDK client were seen to stall.
            HttpServer http = vertx.createHttpServer(
                            new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false))
                    .requestHandler(RegistryRoutes.router(
                            vertx,
                            registry,
                            config.getLong(RegistryConfig.MAX_REQUEST_BYTES_CONFIG),
                            users(config),
                            metrics,
                            () -> true))
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            LOG.info(
                    "Schema registry listening on {} (store {}, writer: {}) in {} ms",
                    url,
                    config.getString(RegistryConfig.STORE_TOPIC_CONFIG),
                    registry.isLeader(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new RegistryServer(vertx, http, store, url);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            vertx.close();
            store.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "Cannot start the registry HTTP server on " + host + ":" + port + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            store.close();
            throw new IllegalStateException("Interrupted starting the registry", e);
        }
    }

    private static Map<String, String> users(RegistryConfig config) {
        Map<String, String> users = new HashMap<>();
        String file = config.getString(RegistryConfig.USERS_FILE_CONFIG);
        if (!file.isBlank()) {
            users.putAll(ServiceConfigLoader.users(Path.of(file)));
        }
        Password info = config.getPassword(RegistryConfig.USER_INFO_CONFIG);
        String value = info == null ? "" : info.value();
        if (!value.isBlank()) {
            int colon = value.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(RegistryConfig.USER_INFO_CONFIG + " must be user:password");
            }
            users.put(value.substring(0, colon), value.substring(colon + 1));
        }
        return users;
    }

    /** Base URL of this instance, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    public int port() {
        return http.actualPort();
    }

    @Override
    public void close() {
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Registry HTTP server did not stop cleanly", e);
        } finally {
            store.close();
        }
    }
}

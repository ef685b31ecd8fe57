package io.chartpulse.embedded;

import java.io.IOException;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A Kafka Connect worker in a JVM of its own, started as production starts one ({@code ConnectDistributed} with a
 * properties file) on this JVM's class path, so that a test can kill it with SIGKILL: no shutdown hook, no flush, no
 * commit — what a crashed pod leaves behind.
 */
public final class ConnectWorkerProcess implements AutoCloseable {

    private final JvmProcess process;
    private final ConnectRest rest;

    private ConnectWorkerProcess(JvmProcess process, ConnectRest rest) {
        this.process = process;
        this.rest = rest;
    }

    /**
     * Starts a worker with {@link EmbeddedConnect#workerProperties the development settings} and waits until it is
     * ready.
     *
     * @param dir         where the worker's properties file and log go
     * @param environment the worker's environment variables (for {@code ${env:…}} in connector configs)
     */
    public static ConnectWorkerProcess start(
            String bootstrapServers,
            String groupId,
            List<Path> pluginPath,
            Map<String, String> overrides,
            Map<String, String> environment,
            Path dir)
            throws IOException {
        int port = EmbeddedConnect.restPort(0);
        Map<String, String> settings =
                EmbeddedConnect.workerProperties(bootstrapServers, port, groupId, pluginPath, overrides);
        Files.createDirectories(dir);
        Path propertiesFile = dir.resolve("worker-" + port + ".properties");
        Properties properties = new Properties();
        properties.putAll(new TreeMap<>(settings));
        try (Writer out = Files.newBufferedWriter(propertiesFile)) {
            properties.store(out, "ChartPulse test worker");
        }
        Path log = dir.resolve("worker-" + port + ".log");
        JvmProcess process = JvmProcess.start(
                "The Connect worker",
                List.of(
                        "-Xmx768m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.apache.kafka.connect.cli.ConnectDistributed",
                        propertiesFile.toString()),
                environment,
                log);
        ConnectWorkerProcess worker = new ConnectWorkerProcess(process, new ConnectRest("http://127.0.0.1:" + port));
        worker.rest.awaitReady(Duration.ofSeconds(90), process::requireAlive);
        return worker;
    }

    /** Base URL of the REST API. */
    public String url() {
        return rest.url();
    }

    /** A REST call: returns the status code and body. */
    public HttpResponse<String> request(String method, String path, String jsonBody) {
        return rest.request(method, path, jsonBody);
    }

    /** The worker's output (stdout and stderr). */
    public Path log() {
        return process.log();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Kills the worker (tests want no graceful path here; {@link #kill} says so explicitly). */
    @Override
    public void close() {
        process.close();
    }
}

package io.chartpulse.collector;

import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.embedded.JvmProcess;
import io.chartpulse.embedded.kafka.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The collector as a separate JVM (java -cp <test classpath> CollectorMain), configured through its environment. */
final class CollectorProcess implements AutoCloseable {

    final JvmProcess process;
    final String url;

    private CollectorProcess(JvmProcess process, int port) {
        this.process = process;
        this.url = "http://127.0.0.1:" + port;
    }

    static CollectorProcess start(Map<String, String> settings, Path log) throws IOException {
        int port = FreePorts.pick();
        Map<String, String> withPort = new HashMap<>(settings);
        withPort.put("port", String.valueOf(port));
        JvmProcess process = JvmProcess.start(
                "The collector process",
                List.of("-Xmx256m", "-cp", JvmProcess.testClassPath(), CollectorMain.class.getName()),
                ServiceConfigLoader.environment(CollectorConfig.ENV_PREFIX, withPort),
                log);
        CollectorProcess child = new CollectorProcess(process, port);
        child.awaitAccepting(Duration.ofSeconds(60));
        return child;
    }

    private void awaitAccepting(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            try {
                HttpResponse<String> response = CollectorFixture.HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("[]"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException(
                "collector process did not accept events within " + timeout + "; see " + process.log());
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

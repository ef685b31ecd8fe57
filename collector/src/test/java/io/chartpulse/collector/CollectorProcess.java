package io.chartpulse.collector;

import io.chartpulse.embedded.kafka.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The collector as a separate JVM (java -cp <test classpath> CollectorMain), configured through its environment. */
final class CollectorProcess implements AutoCloseable {

    final Process process;
    final String url;

    private CollectorProcess(Process process, int port) {
        this.process = process;
        this.url = "http://127.0.0.1:" + port;
    }

    static CollectorProcess start(Map<String, String> settings, Path log) throws IOException {
        int port = FreePorts.pick();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        classpath,
                        CollectorMain.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put(CollectorConfig.ENV_PREFIX + "PORT", String.valueOf(port));
        settings.forEach((key, value) -> builder.environment()
                .put(
                        CollectorConfig.ENV_PREFIX
                                + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'),
                        value));
        CollectorProcess child = new CollectorProcess(builder.start(), port);
        child.awaitAccepting(Duration.ofSeconds(60), log.toFile());
        return child;
    }

    private void awaitAccepting(Duration timeout, File log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "collector process exited with " + process.exitValue() + "; see " + log);
            }
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
        throw new IllegalStateException("collector process did not accept events within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

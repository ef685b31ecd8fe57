package io.chartpulse.collector;

import static org.awaitility.Awaitility.await;

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
import org.awaitility.core.ConditionTimeoutException;

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
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(this::accepting);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "collector process did not accept events within " + timeout + "; see " + process.log());
        }
    }

    /** Whether an empty batch is answered 200; a dead process fails at once with its log. */
    private boolean accepting() throws InterruptedException {
        process.requireAlive();
        try {
            return CollectorFixture.HTTP
                            .send(
                                    HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString("[]"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}

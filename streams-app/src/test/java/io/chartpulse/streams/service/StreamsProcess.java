package io.chartpulse.streams.service;

import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.embedded.JvmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The streams app as its own JVM, started as users start it — {@code java -jar} on the shaded jar that
 * {@code package} built (its path in the system property {@value #JAR}, set by the failsafe configuration) — and
 * configured by environment. So a dependency missing from the jar fails these tests.
 */
final class StreamsProcess implements AutoCloseable {

    static final String JAR = "chartpulse.streams.jar";

    private final JvmProcess process;

    private StreamsProcess(JvmProcess process) {
        this.process = process;
    }

    static StreamsProcess start(Map<String, String> settings, Path log) throws IOException {
        String jar = System.getProperty(JAR);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no streams app jar at " + jar + " (system property " + JAR
                    + "): run the integration tests through Maven's verify, which packages it first");
        }
        return new StreamsProcess(JvmProcess.start(
                "The streams app",
                List.of("-Xmx512m", "-jar", jar),
                ServiceConfigLoader.environment(StreamsAppConfig.ENV_PREFIX, settings),
                log));
    }

    /** SIGKILL: no shutdown hook, no commit, open transactions left to be aborted. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}

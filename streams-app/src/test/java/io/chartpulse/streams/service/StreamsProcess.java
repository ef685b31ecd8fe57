package io.chartpulse.streams.service;

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

    private final Process process;

    private StreamsProcess(Process process) {
        this.process = process;
    }

    static StreamsProcess start(Map<String, String> settings, Path log) throws IOException {
        String jar = System.getProperty(JAR);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no streams app jar at " + jar + " (system property " + JAR
                    + "): run the integration tests through Maven's verify, which packages it first");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        settings.forEach((key, value) -> builder.environment()
                .put(
                        StreamsAppConfig.ENV_PREFIX
                                + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'),
                        value));
        return new StreamsProcess(builder.start());
    }

    /** SIGKILL: no shutdown hook, no commit, open transactions left to be aborted. */
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
}

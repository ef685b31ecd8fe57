package io.chartpulse.streams.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The streams app as its own JVM (java -cp <test classpath> StreamsAppMain), configured by environment. */
final class StreamsProcess implements AutoCloseable {

    private final Process process;

    private StreamsProcess(Process process) {
        this.process = process;
    }

    static StreamsProcess start(Map<String, String> settings, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, StreamsAppMain.class.getName())).redirectErrorStream(true).redirectOutput(log.toFile());
        settings.forEach((key, value) -> builder.environment()
                .put(StreamsAppConfig.ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
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

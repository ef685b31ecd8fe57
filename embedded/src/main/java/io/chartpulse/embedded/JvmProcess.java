package io.chartpulse.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A ChartPulse service (or a Connect worker) in a JVM of its own, so that a test can kill it as a crashed pod dies:
 * SIGKILL, no shutdown hook, no flush, no commit. The child runs this JVM's {@code java} with the given arguments
 * and environment; its stdout and stderr go to one log file, which every failure names.
 */
public final class JvmProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <arguments>}.
     *
     * @param name        what the process is, for messages ("the collector")
     * @param arguments   the JVM's arguments: options, then {@code -cp … Main} or {@code -jar …}
     * @param environment variables added to this JVM's environment
     * @param log         where stdout and stderr go
     */
    public static JvmProcess start(String name, List<String> arguments, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new JvmProcess(name, builder.start(), log);
    }

    /** This JVM's test class path, as a child started with {@code -cp} needs it (surefire's when there is one). */
    public static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Throws, naming the exit code and the log, when the process has exited. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with code " + process.exitValue() + "; its output is in " + log);
        }
    }

    /** The process's output (stdout and stderr). */
    public Path log() {
        return log;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * SIGTERM, as an orchestrator stops a pod: the process runs its shutdown hooks. Waits at most {@code grace}, then
     * kills it (and says so).
     */
    public void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            System.err.println(name + " did not stop within " + grace + " of SIGTERM; killed (output in " + log + ")");
            kill();
        }
    }

    /** Kills the process: tests want no graceful path here ({@link #kill} says so explicitly). */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

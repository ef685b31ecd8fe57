package io.chartpulse.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The life of a ChartPulse service process: {@code --help}, settings from a properties file and environment
 * variables, start, and an orderly stop on SIGTERM / Ctrl-C. A start failure prints one line and exits 1, without
 * a stack trace.
 */
public final class ServiceMain {

    private ServiceMain() {}

    /**
     * Runs a service until the JVM is asked to stop.
     *
     * @param jar       the jar's name for the usage line, e.g. {@code chartpulse-collector.jar}
     * @param envPrefix e.g. {@code CHARTPULSE_COLLECTOR_}
     * @param keys      the service's config keys, listed by {@code --help}
     * @param start     starts the service from its settings; the returned handle is closed on shutdown
     */
    public static void run(
            String[] args,
            String jar,
            String envPrefix,
            Collection<String> keys,
            Function<Map<String, String>, AutoCloseable> start)
            throws InterruptedException {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            StringBuilder usage = new StringBuilder("Usage: java -jar " + jar + " [settings.properties]\n"
                    + "Settings come from the file, then " + envPrefix + "* environment variables (upper case, dots as "
                    + "underscores, e.g. " + envPrefix + "KAFKA_BOOTSTRAP_SERVERS). Keys:\n");
            keys.stream().sorted().forEach(key -> usage.append("  ").append(key).append('\n'));
            System.out.print(usage);
            return;
        }
        AutoCloseable service;
        try {
            service = start.apply(
                    ServiceConfigLoader.load(args.length > 0 ? Path.of(args[0]) : null, envPrefix, System.getenv()));
        } catch (RuntimeException e) {
            System.err.println(jar.replace(".jar", "") + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                            } catch (Exception e) {
                                System.err.println(
                                        jar.replace(".jar", "") + ": did not stop cleanly: " + e.getMessage());
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "service-shutdown"));
        stopped.await();
    }

    /** {@code port} itself, or a free loopback port when it is 0 (so several servers can share the answer). */
    public static int resolvePort(int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }
}

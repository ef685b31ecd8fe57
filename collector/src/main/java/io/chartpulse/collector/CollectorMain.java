package io.chartpulse.collector;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.chartpulse.config.ServiceConfigLoader;

/**
 * {@code java -jar chartpulse-collector.jar [collector.properties]}: starts the collector and runs until stopped.
 * Settings: the properties file, then {@code CHARTPULSE_COLLECTOR_*} environment variables.
 */
public final class CollectorMain {

    private CollectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println("Usage: java -jar chartpulse-collector.jar [collector.properties]\n"
                    + "Settings come from the file, then CHARTPULSE_COLLECTOR_* environment variables "
                    + "(e.g. CHARTPULSE_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS). Keys:\n"
                    + CollectorConfig.CONFIG.names().stream().sorted().map(k -> "  " + k + "\n").reduce("", String::concat));
            return;
        }
        Map<String, String> values = ServiceConfigLoader.load(args.length > 0 ? Path.of(args[0]) : null,
                CollectorConfig.ENV_PREFIX, System.getenv());
        CollectorServer server;
        try {
            server = CollectorServer.start(new CollectorConfig(values));
        } catch (RuntimeException e) {
            System.err.println("chartpulse-collector: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "collector-shutdown"));
        stopped.await();
    }
}

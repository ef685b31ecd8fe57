package io.chartpulse.registry;

import io.chartpulse.config.ServiceConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar chartpulse-registry.jar [config.properties]}: starts the registry and runs until stopped.
 * Settings: the properties file, then {@code CHARTPULSE_REGISTRY_*} environment variables.
 */
public final class RegistryMain {

    private RegistryMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println("Usage: java -jar chartpulse-registry.jar [config.properties]\n"
                    + "Settings come from the file, then CHARTPULSE_REGISTRY_* environment variables "
                    + "(e.g. CHARTPULSE_REGISTRY_KAFKA_BOOTSTRAP_SERVERS). Keys:\n"
                    + RegistryConfig.CONFIG.names().stream().sorted().map(k -> "  " + k).reduce("", (a, b) -> a + b + "\n"));
            return;
        }
        Map<String, String> values = ServiceConfigLoader.load(args.length > 0 ? Path.of(args[0]) : null,
                RegistryConfig.ENV_PREFIX, System.getenv());
        RegistryServer server;
        try {
            server = RegistryServer.start(new RegistryConfig(values));
        } catch (RuntimeException e) {
            System.err.println("chartpulse-registry: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "registry-shutdown"));
        stopped.await();
    }
}

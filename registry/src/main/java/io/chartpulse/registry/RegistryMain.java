package io.chartpulse.registry;

import io.chartpulse.config.ServiceMain;

/**
 * {@code java -jar chartpulse-registry.jar [registry.properties]}: starts the registry and runs until stopped.
 * Settings: the properties file, then {@code CHARTPULSE_REGISTRY_*} environment variables.
 */
public final class RegistryMain {

    private RegistryMain() {}

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run(
                args,
                "chartpulse-registry.jar",
                RegistryConfig.ENV_PREFIX,
                RegistryConfig.CONFIG.names(),
                values -> RegistryServer.start(new RegistryConfig(values)));
    }
}

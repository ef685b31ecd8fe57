package io.chartpulse.collector;

import io.chartpulse.config.ServiceMain;

/**
 * {@code java -jar chartpulse-collector.jar [collector.properties]}: starts the collector and runs until stopped.
 * Settings: the properties file, then {@code CHARTPULSE_COLLECTOR_*} environment variables.
 */
public final class CollectorMain {

    private CollectorMain() {}

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run(
                args,
                "chartpulse-collector.jar",
                CollectorConfig.ENV_PREFIX,
                CollectorConfig.CONFIG.names(),
                values -> CollectorServer.start(new CollectorConfig(values)));
    }
}

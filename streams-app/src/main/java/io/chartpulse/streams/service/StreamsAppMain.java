package io.chartpulse.streams.service;

import io.chartpulse.config.ServiceMain;

/** {@code java -jar chartpulse-streams-app.jar [streams.properties]}; settings also from CHARTPULSE_STREAMS_*. */
public final class StreamsAppMain {

    private StreamsAppMain() {}

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run(
                args,
                "chartpulse-streams-app.jar",
                StreamsAppConfig.ENV_PREFIX,
                StreamsAppConfig.CONFIG.names(),
                values -> StreamsService.start(new StreamsAppConfig(values)));
    }
}

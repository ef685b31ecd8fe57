package io.chartpulse.connect.s3;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * ChartPulse's S3 sink: archives topics into an S3-compatible store, exactly once. Every task gets the same
 * configuration; Connect spreads the topic partitions over them.
 */
public final class S3SinkConnector extends SinkConnector {

    static final String VERSION = S3SinkConnector.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : S3SinkConnector.class.getPackage().getImplementationVersion();

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new S3SinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3SinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return S3SinkConfig.CONFIG;
    }

    /** Per-key validation plus the cross-key rules of {@link S3SinkConfig}, each reported on the key it is about. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean keysValid =
                config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            Map<String, ConfigValue> byKey = new HashMap<>();
            config.configValues().forEach(v -> byKey.put(v.name(), v));
            for (S3SinkConfig.Problem problem : S3SinkConfig.problems(connectorConfigs)) {
                byKey.getOrDefault(problem.key(), config.configValues().get(0)).addErrorMessage(problem.text());
            }
        }
        return config;
    }

    @Override
    public String version() {
        return VERSION;
    }
}

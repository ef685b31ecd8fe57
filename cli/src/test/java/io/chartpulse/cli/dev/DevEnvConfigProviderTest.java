package io.chartpulse.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Each dev stack's env provider reads that stack's variables only, as Connect configures it. */
class DevEnvConfigProviderTest {

    private static DevEnvConfigProvider configured(Map<String, String> workerConfig) {
        DevEnvConfigProvider provider = new DevEnvConfigProvider();
        String prefix = "config.providers.env.param.";
        Map<String, String> params = new HashMap<>();
        workerConfig.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                params.put(k.substring(prefix.length()), v);
            }
        });
        provider.configure(params);
        return provider;
    }

    @Test
    void twoStacksInOneJvmEachSeeTheirOwnVariables() {
        try (DevEnvConfigProvider.Registration a =
                        DevEnvConfigProvider.register(Map.of("CHARTPULSE_S3_ENDPOINT", "http://127.0.0.1:9001"));
                DevEnvConfigProvider.Registration b =
                        DevEnvConfigProvider.register(Map.of("CHARTPULSE_S3_ENDPOINT", "http://127.0.0.1:9002"))) {
            assertThat(a.workerConfig())
                    .containsEntry("config.providers.env.class", DevEnvConfigProvider.class.getName());
            assertThat(configured(a.workerConfig())
                            .get("", Set.of("CHARTPULSE_S3_ENDPOINT"))
                            .data())
                    .containsExactly(Map.entry("CHARTPULSE_S3_ENDPOINT", "http://127.0.0.1:9001"));
            assertThat(configured(b.workerConfig())
                            .get("", Set.of("CHARTPULSE_S3_ENDPOINT"))
                            .data())
                    .containsExactly(Map.entry("CHARTPULSE_S3_ENDPOINT", "http://127.0.0.1:9002"));
            // Not set by the stack: the process environment, as Kafka's EnvVarConfigProvider would answer.
            assertThat(configured(a.workerConfig()).get("", Set.of("PATH")).data())
                    .containsEntry("PATH", System.getenv("PATH"));
        }
    }

    @Test
    void aWorkerWithoutItsStackIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new DevEnvConfigProvider().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.providers.env.param.stack");
        DevEnvConfigProvider.Registration gone = DevEnvConfigProvider.register(Map.of());
        Map<String, String> config = gone.workerConfig();
        gone.close();
        assertThatThrownBy(() -> configured(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no dev stack registered this id");
    }
}

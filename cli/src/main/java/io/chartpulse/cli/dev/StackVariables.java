package io.chartpulse.cli.dev;

import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.lake.LakeCommits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The values of the {@code ${env:CHARTPULSE_…}} variables that the connector configs of {@code connect-config/} read,
 * for a development stack: the embedded one of {@code chartpulse dev}, the commands run against it ({@code --dev}),
 * or a stack of separate processes (the fault run). Dev values only: production sets them in its environment.
 */
public final class StackVariables {

    private StackVariables() {}

    /**
     * Every variable but the lake catalog's: registry, archive bucket, S3, MongoDB, the broker (the Iceberg sink's
     * control consumer), the archive's rotation schedule and the lake's commit interval and timeout.
     */
    public static Map<String, String> connectors(
            String registryUrl,
            String s3Endpoint,
            String mongoUri,
            String bootstrapServers,
            Duration s3Rotate,
            Duration lakeCommit) {
        Map<String, String> env = new HashMap<>();
        env.put("CHARTPULSE_REGISTRY_URL", registryUrl);
        env.put("CHARTPULSE_REPLICATION_FACTOR", "1");
        env.put("CHARTPULSE_S3_BUCKET", DevStack.BUCKET);
        env.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        env.put("CHARTPULSE_S3_ENDPOINT", s3Endpoint);
        env.put("CHARTPULSE_S3_PATH_STYLE", "true");
        env.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        env.put("CHARTPULSE_S3_ROTATE_SCHEDULE_MS", String.valueOf(s3Rotate.toMillis()));
        env.put("CHARTPULSE_MONGO_URI", mongoUri);
        env.put("CHARTPULSE_MONGO_DATABASE", DevStack.DATABASE);
        env.put("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("CHARTPULSE_LAKE_COMMIT_INTERVAL_MS", String.valueOf(lakeCommit.toMillis()));
        env.put(
                "CHARTPULSE_LAKE_COMMIT_TIMEOUT_MS",
                String.valueOf(LakeCommits.timeoutFor(lakeCommit).toMillis()));
        return env;
    }

    /**
     * What the variables are in {@code ./chartpulse dev} on its default ports, for the commands run against it
     * ({@code --dev}): every variable of the connector configs, as the stack sets them (with the lake's catalog under
     * {@code dataDir}).
     */
    public static Map<String, String> dev(Path dataDir) {
        DevStack.Settings d = DevStack.Settings.defaults(Path.of("."));
        String s3 = "http://127.0.0.1:" + d.s3Port();
        Map<String, String> env = connectors(
                "http://127.0.0.1:" + d.registryPort(),
                s3,
                "mongodb://127.0.0.1:" + d.mongoPort() + "/?retryWrites=false",
                "127.0.0.1:" + d.kafkaPort(),
                d.s3Rotate(),
                d.lakeCommit());
        env.putAll(lake(dataDir, s3));
        return env;
    }

    /**
     * The variables a lake catalog of a development stack is opened with: its SQLite catalog under {@code dataDir},
     * its tables in the bucket of the S3 stand-in at {@code s3Endpoint}.
     */
    public static Map<String, String> lake(Path dataDir, String s3Endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc");
        env.put(
                "CHARTPULSE_LAKE_CATALOG_URI",
                "jdbc:sqlite:" + dataDir.resolve("lake").resolve("catalog.db").toAbsolutePath());
        env.put("CHARTPULSE_LAKE_CATALOG_USER", "");
        env.put("CHARTPULSE_LAKE_CATALOG_PASSWORD", "");
        env.put("CHARTPULSE_LAKE_WAREHOUSE", "s3://" + DevStack.BUCKET + "/warehouse");
        env.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        env.put("CHARTPULSE_S3_ENDPOINT", s3Endpoint);
        env.put("CHARTPULSE_S3_PATH_STYLE", "true");
        env.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        return env;
    }
}

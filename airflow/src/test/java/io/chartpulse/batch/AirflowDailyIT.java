package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.schemas.Topic;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chartpulse_daily DAG run by a real Airflow (``dag.test()`` in the pinned virtualenv) for one day, its local
 * runner running the CLI's shaded jar against a real broker, registry, S3Proxy holding the archive and the lake,
 * and mongo-java-server: every task succeeds, the rollup documents are there, the day reconciles, and a second
 * run changes no document (tests/test_daily_run.py asserts those with pymongo; this test checks its exit code and
 * the documents once more with the Java driver).
 */
class AirflowDailyIT {

    @TempDir
    Path dir;

    @Test
    void theDailyDagRollsADayUpUnderAirflowAndARerunChangesNothing() throws Exception {
        Path python = Path.of(System.getProperty("chartpulse.airflow.python"));
        Path jar = Path.of(System.getProperty("chartpulse.cli.jar"))
                .toAbsolutePath()
                .normalize();
        assertThat(python).as("the Airflow virtualenv (built by this module)").exists();
        assertThat(jar)
                .as("the CLI's shaded jar (built by cli/ before this module)")
                .exists();
        try (EmbeddedKafka kafka =
                        EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas");
                BatchStack stack = new BatchStack(dir.resolve("stack"))) {
            for (Topic t : new Topic[] {Topic.RAW_EVENTS, Topic.ENRICHED_EVENTS, Topic.INVALID_EVENTS}) {
                kafka.createTopic(t.topicName(), 2);
            }
            Dataset data = new Dataset(Interval.parse("2026-12-01"), 80, 11);
            stack.seed(data);

            Path connectors = Path.of("..", "connect-config", "connectors")
                    .toAbsolutePath()
                    .normalize();
            ProcessBuilder pytest = new ProcessBuilder(
                            python.toString(),
                            "-u",
                            "-m",
                            "pytest",
                            "-s",
                            "-p",
                            "no:cacheprovider",
                            "--log-cli-level=INFO",
                            "tests/test_daily_run.py")
                    .directory(new File("."))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pytest.log").toFile());
            Map<String, String> env = pytest.environment();
            env.putAll(stack.environment);
            env.put("CHARTPULSE_REGISTRY_URL", registry.url());
            env.put("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put(
                    "CHARTPULSE_LAKE_CONNECTOR_CONFIG",
                    connectors.resolve("iceberg-enriched-events.json").toString());
            env.put(
                    "CHARTPULSE_ARCHIVE_CONNECTOR_CONFIG",
                    connectors.resolve("s3-raw-events.json").toString());
            // The generated day's events reach an hour past its end: a 30 min lookback is passed by the lake's
            // watermark, where the default 6 h would keep the day open.
            env.put("CHARTPULSE_BATCH_LOOKBACK", "PT30M");
            env.put("CHARTPULSE_COMMAND", "java -Xmx768m -jar " + jar);
            env.put("CHARTPULSE_TEST_CHARTS", String.join(",", Dataset.CHARTS));
            env.put("AIRFLOW_HOME", dir.resolve("airflow-home").toString());
            env.put("CHARTPULSE_AIRFLOW_POKE_SECONDS", "5");
            env.put("CHARTPULSE_AIRFLOW_RETRIES", "0"); // a failure fails the test now, not after backoffs
            Process p = pytest.start();
            boolean done = p.waitFor(8, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String log = Files.readString(dir.resolve("pytest.log"));
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "airflow-daily-run.log"), log);
            assertThat(done)
                    .as("pytest finished within 8 minutes; log in target/airflow-daily-run.log")
                    .isTrue();
            assertThat(p.exitValue()).as(tail(log)).isZero();

            assertThat(stack.mongo.getCollection("chart_daily").countDocuments(Filters.eq("interval", "2026-12-01")))
                    .isEqualTo(Dataset.CHARTS.length);
            assertThat(stack.mongo
                            .getCollection("reconcile_reports")
                            .find(Filters.eq("_id", "2026-12-01"))
                            .first()
                            .getString("status"))
                    .isEqualTo("OK");
        }
    }

    private static String tail(String log) throws IOException {
        String[] lines = log.split("\n");
        return Arrays.stream(lines).skip(Math.max(0, lines.length - 60)).collect(Collectors.joining("\n"));
    }
}

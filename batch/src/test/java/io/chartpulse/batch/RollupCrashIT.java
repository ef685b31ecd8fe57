package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import io.chartpulse.lake.LakeTable;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollup whose JVM is killed (SIGKILL) while it writes MongoDB, then run again: the result is the result of one
 * clean run. The killed run wrote part of the interval's documents and recorded nothing in batch_runs.
 */
class RollupCrashIT {

    static final Interval DAY = Interval.parse("2026-12-01");

    @TempDir
    Path dir;

    @Test
    void aRollupKilledHalfWayAndRunAgainLeavesWhatOneRunLeaves() throws Exception {
        try (BatchStack stack = new BatchStack(dir)) {
            Dataset data = new Dataset(DAY, 6_000, 3);
            stack.append(LakeTable.ENRICHED_EVENTS, data.events);
            stack.append(LakeTable.SESSIONS, data.sessions);

            ProcessBuilder child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            RollupChild.class.getName(),
                            DAY.key())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .directory(new File("."));
            child.environment().putAll(stack.environment);
            Process p = child.start();
            var products = stack.mongo.getCollection("product_daily");
            await().atMost(Duration.ofMinutes(3))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> !p.isAlive() || products.countDocuments(Filters.eq("interval", DAY.key())) > 0);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long partial = products.countDocuments(Filters.eq("interval", DAY.key()));
            assertThat(partial).as("the child was killed while writing MongoDB").isPositive();
            assertThat(stack.mongo.getCollection(BatchRuns.COLLECTION).countDocuments())
                    .as("the killed run must not have completed (a bigger dataset would slow it down)")
                    .isZero();

            RollupJob job = RollupJob.over(stack.catalog, stack.mongo);
            RollupJob.Result rerun = job.run(DAY, List.of(RollupJob.Target.values()));
            assertThat(partial).isLessThan(rerun.rows().get(RollupTable.PRODUCT));
            Map<String, List<Document>> afterRerun = RollupIT.snapshot(stack, DAY);
            job.run(DAY, List.of(RollupJob.Target.values()));
            assertThat(RollupIT.snapshot(stack, DAY)).isEqualTo(afterRerun);
            assertThat(products.countDocuments(Filters.eq("interval", DAY.key())))
                    .isEqualTo(rerun.rows().get(RollupTable.PRODUCT).longValue());
            assertThat(stack.mongo.getCollection(BatchRuns.COLLECTION).countDocuments())
                    .isEqualTo(1);
        }
    }
}

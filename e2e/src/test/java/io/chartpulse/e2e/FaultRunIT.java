package io.chartpulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.cli.dev.DevStack;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.load.Freshness;
import io.chartpulse.cli.load.LoadGenerator;
import io.chartpulse.collector.CollectorConfig;
import io.chartpulse.schemas.RejectionCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline, one process per service, under a fixed rate of traffic from the load generator (duplicates,
 * invalid events and bots mixed in, half the visitors sending ChartEvent v2's {@code variant}) while a {@link
 * FaultPlan} breaks it; then, once everything drained, a {@link Reconciliation} of every store against what the
 * collector accepted. The plan and rate come from the build ({@code faults.plan}, {@code faults.rate}): the short plan
 * in {@code ./mvnw verify}, the long one with {@code -Pfaults}. The report goes to {@code
 * target/fault-run-<plan>/report.{json,md}}.
 */
class FaultRunIT {

    /** Sessions close after this much quiet (short, so the run's sessions are final before the reconciliation). */
    static final Duration SESSION_GAP = Duration.ofSeconds(20);

    /** How long a session waits for late events after its gap (short, for the same reason). */
    static final Duration SESSION_GRACE = Duration.ofSeconds(5);

    static final Duration LAKE_COMMIT = Duration.ofSeconds(10);
    /** How long after the traffic the stores may take to agree. */
    static final Duration DRAIN = Duration.ofMinutes(5);

    @Test
    void everyEventLandsOnceInEveryStoreThroughTheFaults() throws Exception {
        FaultPlan plan = FaultPlan.named(System.getProperty("faults.plan", "short"));
        int rate = Integer.parseInt(System.getProperty("faults.rate", "200"));
        Path dir = Path.of("target", "fault-run-" + plan.name()).toAbsolutePath();
        deleteTree(dir);
        Set<String> valid = ConcurrentHashMap.newKeySet();
        Map<String, RejectionCode> invalid = new ConcurrentHashMap<>();

        try (Pipeline pipeline = new Pipeline(dir, SESSION_GAP, SESSION_GRACE, plan.metricsGrace(), LAKE_COMMIT)) {
            // With a rollout in the plan the collectors start on v1, as before a release; without one, on the latest.
            boolean rollout = plan.faults().stream().anyMatch(f -> f.kind() == FaultPlan.Kind.SCHEMA_ROLLOUT);
            String firstVersion = rollout ? "1" : CollectorConfig.LATEST_SCHEMA;
            pipeline.start(firstVersion);
            try (Freshness freshness = new Freshness(5)
                    .topic(pipeline.bootstrapServers(), pipeline.registryUrl())
                    .mongo(pipeline.mongoUri(), DevStack.DATABASE)
                    .lake(() -> LakeCommand.openCatalog(
                            Pipeline.REPOSITORY.resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG),
                            pipeline.connectorVariables()::get))) {
                LoadGenerator load = new LoadGenerator(pipeline.collectorUrl(), 21)
                        .onAccepted(freshness::accepted)
                        .onAcceptedBatch(batch -> {
                            valid.addAll(batch.validIds());
                            invalid.putAll(batch.invalid());
                        });
                long startNanos = System.nanoTime();
                long startEpoch = System.currentTimeMillis();
                List<FaultInjector.Done> faults;
                Reconciliation reconciliation;
                long trafficMillis;
                long drainMillis;
                try (Timeline timeline = Timeline.start(pipeline, startNanos, load.counts().accepted::get)) {
                    CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                        try {
                            load.run(rate, plan.traffic(), counts -> {});
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted", e);
                        }
                    });
                    faults = new FaultInjector(pipeline, startNanos, firstVersion).run(plan);
                    try {
                        traffic.get(plan.traffic().toSeconds() + 180, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // What the run saw until then still tells where it went wrong: the report, without checks.
                        long failedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                        freshness.drain(Duration.ofSeconds(5));
                        FaultReport.of(
                                        plan,
                                        rate,
                                        startEpoch,
                                        Duration.ofMillis(failedAfter),
                                        Duration.ZERO,
                                        load.counts(),
                                        faults,
                                        timeline,
                                        freshness,
                                        null,
                                        "the load generator failed: "
                                                + e.getCause().getMessage())
                                .write(dir);
                        throw new AssertionError(
                                "the traffic failed (partial report in " + dir.resolve("report.md") + ")",
                                e.getCause());
                    }
                    trafficMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    System.out.printf(
                            "fault run: traffic over after %.0f s, %d accepted; draining%n",
                            trafficMillis / 1000.0, load.counts().accepted.get());

                    long drainStart = System.nanoTime();
                    reconciliation = Reconciliation.awaitExact(pipeline, valid, invalid, startEpoch, DRAIN);
                    drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
                    freshness.drain(Duration.ofSeconds(30));

                    FaultReport report = FaultReport.of(
                            plan,
                            rate,
                            startEpoch,
                            Duration.ofMillis(trafficMillis),
                            Duration.ofMillis(drainMillis),
                            load.counts(),
                            faults,
                            timeline,
                            freshness,
                            reconciliation,
                            null);
                    report.write(dir);
                    System.out.println(report.table);
                }

                assertThat(reconciliation.failing())
                        .as("reconciliation checks that do not hold (report in %s)", dir.resolve("report.md"))
                        .isEmpty();
                assertThat(faults).hasSameSizeAs(plan.faults());
                assertThat(valid).hasSizeGreaterThan(rate * 10);
                assertThat(invalid.values())
                        .as("the traffic carried both kinds of invalid event")
                        .contains(RejectionCode.INVALID_TYPE, RejectionCode.MISSING_RANK);
                if (rollout) {
                    assertThat(reconciliation.rawV1)
                            .as("raw records written as ChartEvent v1")
                            .isPositive();
                }
                assertThat(reconciliation.rawV2)
                        .as("raw records written as ChartEvent v2")
                        .isPositive();
                assertThat(reconciliation.variantsDownstream)
                        .as("enriched events carrying v2's variant")
                        .isPositive();
                for (Freshness.Store store : freshness.stores()) {
                    assertThat(store.problem()).as(store.name()).isNull();
                    assertThat(store.percentiles().count()).as(store.name()).isPositive();
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package io.chartpulse.cli.dev;

import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.embedded.EmbeddedS3;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse dev}: the whole pipeline on this machine, until Ctrl-C. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole ChartPulse pipeline in one JVM: Kafka, registry, S3 (S3Proxy), MongoDB "
                    + "(mongo-java-server), Kafka Connect with the S3 and MongoDB sinks, the streams app, the collector and "
                    + "the demo page. Data stays in --data-dir across restarts. The ports are listed in "
                    + "docs/ARCHITECTURE.md (\"Development defaults\")."
        },
        footer = {"%nExamples:", "  ./chartpulse dev", "  ./chartpulse dev --reset        # start from nothing"})
public final class DevCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:CHARTPULSE_HOME:-.}/.chartpulse",
            description = "Where topics, schemas, connectors, "
                    + "objects and documents are kept (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--reset", description = "Delete the data directory first.")
    boolean reset;

    @Option(
            names = "--rollup-every",
            description = "Also run the batch rollup of the current UTC day on this timer (ISO-8601 duration, e.g."
                    + " PT1H or PT5M), so that MongoDB chart_daily, product_daily, funnel_daily and rank_ctr_daily"
                    + " fill without Airflow. Off by default.")
    Duration rollupEvery;

    @Option(
            names = "--repository",
            defaultValue = "${env:CHARTPULSE_HOME:-.}",
            description =
                    "The ChartPulse checkout (plugins, connector " + "configs, demo page; default ${DEFAULT-VALUE}).")
    Path repository;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (reset) {
            DevStack.reset(dataDir);
            out.println("reset: deleted " + dataDir);
        }
        DevStack.Settings settings = DevStack.Settings.defaults(repository).withDataDir(dataDir);
        DevStack stack;
        try {
            stack = DevStack.start(settings, out);
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.REMOTE_ERROR, "the stack could not start: " + e.getMessage());
        }
        if (rollupEvery != null) {
            if (rollupEvery.isNegative() || rollupEvery.isZero()) {
                stack.close();
                throw new CliException(ExitCode.USAGE, "--rollup-every must be positive");
            }
            stack.startRollups(rollupEvery);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("stopping…");
                            stack.close();
                            stopped.countDown();
                        },
                        "chartpulse-dev-shutdown"));
        out.printf("%nReady. Open %s and scroll, sort, filter and click deals.%n", stack.demoUrl());
        out.printf(
                "  enriched events, sessions, metrics: MongoDB %s, database %s%n",
                stack.mongo().uri(), DevStack.DATABASE);
        out.printf(
                "  raw archive: %s/%s (S3, key %s)%n", stack.s3().endpoint(), DevStack.BUCKET, EmbeddedS3.ACCESS_KEY);
        out.printf(
                "  lake: Iceberg tables chartpulse.* in s3://%s/warehouse (a commit a minute): ./chartpulse lake tables --dev%n"
                        + "        and SQL: ./chartpulse lake query --dev \"SELECT event_type, count(*) FROM enriched_events"
                        + " GROUP BY 1\"%n",
                DevStack.BUCKET);
        out.printf("  live chart metrics: %s/api/charts/laptops-2026/metrics%n", stack.streamsUrl());
        out.printf(
                "  connectors: ./chartpulse connectors status --connect-url %s%n",
                stack.connect().url());
        out.println("  erase a visitor: ./chartpulse erase --dev --anonymous-id <id> --requester me, then"
                + " ./chartpulse erase run --dev (PRIVACY.md)");
        if (rollupEvery != null) {
            out.printf(
                    "  batch rollup of today every %s into MongoDB chart_daily & co. (./chartpulse batch --help)%n",
                    rollupEvery);
        }
        out.println("Ctrl-C stops everything; the data stays in " + dataDir + ".");
        out.flush();
        stopped.await();
        return ExitCode.OK;
    }
}

package io.chartpulse.e2e;

import io.chartpulse.collector.CollectorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a {@link FaultPlan} on a running {@link Pipeline}, each fault at its offset from the start of the
 * traffic, and says what it did: when each fault began and ended, and how long the service took to answer again.
 */
final class FaultInjector {

    /**
     * A fault as it happened: offsets in milliseconds from the start of the traffic; {@code upAgainMillis} is how long
     * the restarted service took to answer (0 for a stand-in, which starts in-process).
     */
    record Done(FaultPlan.Fault fault, long startMillis, long endMillis, long upAgainMillis) {}

    private final Pipeline pipeline;
    private final long trafficStartNanos;
    private String collectorVersion;

    FaultInjector(Pipeline pipeline, long trafficStartNanos, String collectorVersion) {
        this.pipeline = pipeline;
        this.trafficStartNanos = trafficStartNanos;
        this.collectorVersion = collectorVersion;
    }

    List<Done> run(FaultPlan plan) throws Exception {
        List<Done> done = new ArrayList<>();
        for (FaultPlan.Fault fault : plan.faults()) {
            long wait = fault.at().toMillis() - elapsedMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long start = elapsedMillis();
            System.out.printf("fault run: %5.1f s  %s%n", start / 1000.0, fault.kind().description);
            Duration up = inject(fault);
            done.add(new Done(fault, start, elapsedMillis(), up.toMillis()));
            System.out.printf(
                    "fault run: %5.1f s  ... back (answering after %.1f s)%n",
                    elapsedMillis() / 1000.0, up.toMillis() / 1000.0);
        }
        return done;
    }

    private Duration inject(FaultPlan.Fault fault) throws Exception {
        return switch (fault.kind()) {
            case STREAMS_KILL -> {
                pipeline.killStreams();
                yield pipeline.startStreams();
            }
            case CONNECT_KILL -> {
                pipeline.killConnect();
                yield pipeline.startConnect();
            }
            case COLLECTOR_KILL -> {
                pipeline.killCollector();
                yield pipeline.startCollector(collectorVersion);
            }
            case BROKER_RESTART -> {
                pipeline.killBroker();
                yield pipeline.startBroker();
            }
            case REGISTRY_OUTAGE -> {
                pipeline.killRegistry();
                sleep(fault.outage());
                yield pipeline.startRegistry();
            }
            case S3_OUTAGE -> {
                pipeline.stopS3();
                sleep(fault.outage());
                yield pipeline.startS3();
            }
            case MONGO_OUTAGE -> {
                pipeline.cutMongo();
                sleep(fault.outage());
                yield pipeline.restoreMongo();
            }
            case SCHEMA_ROLLOUT -> {
                pipeline.stopCollector();
                collectorVersion = CollectorConfig.LATEST_SCHEMA;
                yield pipeline.startCollector(collectorVersion);
            }
        };
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - trafficStartNanos);
    }
}

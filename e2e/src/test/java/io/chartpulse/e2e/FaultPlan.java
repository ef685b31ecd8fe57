package io.chartpulse.e2e;

import io.chartpulse.streams.topology.TopologySettings;
import java.time.Duration;
import java.util.List;

/**
 * What happens to the pipeline during the traffic, in order: each fault at its offset from the start of the traffic.
 * The short plan runs in {@code ./mvnw verify}; the long one ({@code -Pfaults}) adds the faults that need minutes.
 *
 * @param traffic how long the load generator sends
 * @param metricsGrace how long after a minute ends the streams app still counts an event in that minute's metrics:
 *     the delay the live metrics absorb. The short plan's faults at its rate hold events back by less than 5 s, which
 *     keeps the verify run short; the other plans run with the shipped grace ({@link #SHIPPED_GRACE}), since a restart
 *     catching up a minute of traffic, or a broker restart, holds events back for longer than that
 * @param faults the faults, by offset
 */
record FaultPlan(String name, Duration traffic, Duration metricsGrace, List<Fault> faults) {

    /** The streams app's default metrics grace. */
    static final Duration SHIPPED_GRACE = TopologySettings.defaults().metricsGrace();

    /** The short plan's metrics grace. */
    static final Duration SHORT_GRACE = Duration.ofSeconds(5);

    /** What a fault does. */
    enum Kind {
        /** kill -9 of the streams app, then a new process at once: open transactions are aborted by the broker. */
        STREAMS_KILL("kill -9 of the streams app, restarted"),
        /** kill -9 of the Connect worker, then a new one: sinks resume from their committed offsets. */
        CONNECT_KILL("kill -9 of the Connect worker, restarted"),
        /** kill -9 of the collector, then a new one on the same port: the load generator retries what got no answer. */
        COLLECTOR_KILL("kill -9 of the collector, restarted"),
        /** kill -9 of the broker, then a restart on the same data: every client reconnects. */
        BROKER_RESTART("kill -9 of the broker, restarted on its data"),
        /** The registry process gone for the outage, then started again. */
        REGISTRY_OUTAGE("registry down"),
        /** The S3 stand-in stopped for the outage (connections refused), then started again on its data. */
        S3_OUTAGE("S3 down"),
        /**
         * MongoDB cut off at the network for the outage (its port refuses, open connections drop), then reachable
         * again: the stand-in's H2 file does not survive being closed under write load, a real server's would.
         */
        MONGO_OUTAGE("MongoDB down"),
        /**
         * The collector's rolling deploy from {@code ChartEvent} v1 to v2: SIGTERM, then a collector writing the
         * latest schema; half the visitors' trackers already send the new field.
         */
        SCHEMA_ROLLOUT("collector rolled from ChartEvent v1 to v2");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** One fault: at {@code at} after the traffic started; {@code outage} for the outages, zero for the others. */
    record Fault(Kind kind, Duration at, Duration outage) {}

    static FaultPlan named(String name) {
        return switch (name) {
            case "short" -> SHORT;
            case "long" -> LONG;
            case "calm" -> CALM;
            case "calm-long" -> CALM_LONG;
            case "broker" -> BROKER;
            default ->
                throw new IllegalArgumentException("faults.plan " + name + ": short, long, calm, calm-long or broker");
        };
    }

    /** The verify run's: the faults the issue requires of it, about two minutes of traffic. */
    static final FaultPlan SHORT = new FaultPlan(
            "short",
            Duration.ofSeconds(105),
            SHORT_GRACE,
            List.of(
                    new Fault(Kind.STREAMS_KILL, Duration.ofSeconds(15), Duration.ZERO),
                    new Fault(Kind.CONNECT_KILL, Duration.ofSeconds(35), Duration.ZERO),
                    new Fault(Kind.REGISTRY_OUTAGE, Duration.ofSeconds(55), Duration.ofSeconds(20)),
                    new Fault(Kind.SCHEMA_ROLLOUT, Duration.ofSeconds(85), Duration.ZERO)));

    /** Every fault of the issue, the outages 60 s each, about 13 minutes of traffic. */
    static final FaultPlan LONG = new FaultPlan(
            "long",
            Duration.ofSeconds(780),
            SHIPPED_GRACE,
            List.of(
                    new Fault(Kind.STREAMS_KILL, Duration.ofSeconds(30), Duration.ZERO),
                    new Fault(Kind.CONNECT_KILL, Duration.ofSeconds(90), Duration.ZERO),
                    new Fault(Kind.COLLECTOR_KILL, Duration.ofSeconds(150), Duration.ZERO),
                    new Fault(Kind.BROKER_RESTART, Duration.ofSeconds(210), Duration.ZERO),
                    new Fault(Kind.REGISTRY_OUTAGE, Duration.ofSeconds(300), Duration.ofSeconds(60)),
                    new Fault(Kind.S3_OUTAGE, Duration.ofSeconds(420), Duration.ofSeconds(60)),
                    new Fault(Kind.MONGO_OUTAGE, Duration.ofSeconds(540), Duration.ofSeconds(60)),
                    new Fault(Kind.SCHEMA_ROLLOUT, Duration.ofSeconds(690), Duration.ZERO)));

    /**
     * No fault: two minutes of traffic, for the pipeline's freshness and the rate it holds when nothing breaks
     * ({@code -Dfaults.plan=calm -Dfaults.rate=N}).
     */
    static final FaultPlan CALM = new FaultPlan("calm", Duration.ofSeconds(120), SHIPPED_GRACE, List.of());

    /**
     * No fault, six minutes: the same as {@link #CALM} long enough to tell the warm-up (the first minute, every JVM
     * compiling its hot code) from the steady state, which the report's timeline separates.
     */
    static final FaultPlan CALM_LONG = new FaultPlan("calm-long", Duration.ofSeconds(360), SHIPPED_GRACE, List.of());

    /** One broker restart alone, a minute of traffic, with the short plan's grace: what it does to the metrics. */
    static final FaultPlan BROKER = new FaultPlan(
            "broker",
            Duration.ofSeconds(60),
            SHORT_GRACE,
            List.of(new Fault(Kind.BROKER_RESTART, Duration.ofSeconds(20), Duration.ZERO)));
}

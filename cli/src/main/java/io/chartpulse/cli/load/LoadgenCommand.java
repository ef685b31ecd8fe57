package io.chartpulse.cli.load;

import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.common.MongoOptions;
import io.chartpulse.cli.lake.LakeCommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse loadgen}: synthetic chart traffic to a collector. */
@Command(
        name = "loadgen",
        mixinStandardHelpOptions = true,
        description = {
            "Post realistic synthetic traffic to the collector at a fixed rate (open loop): visitors, sessions,"
                    + " impressions, clicks with a plausible CTR, some bots, some invalid events and some duplicates,"
                    + " with a live progress line; says when the collector throttles or refuses it, and times a sample"
                    + " of the events from the collector into the enriched topic and MongoDB (freshness percentiles)."
        },
        footer = {
            "%nExamples:",
            "  chartpulse loadgen --rate 200 --duration 30s",
            "  chartpulse loadgen --rate 2000 --duration 2m",
            "  chartpulse loadgen --rate 500 --duration 2m --lake --dev --drain 2m",
            "  chartpulse loadgen --collector-url http://127.0.0.1:8080/v1/events --rate 50 --duration 2m --no-freshness"
        })
public final class LoadgenCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--collector-url",
            defaultValue = "${env:CHARTPULSE_COLLECTOR_URL:-http://127.0.0.1:8080/v1/events}",
            description = "The collector's event endpoint (env CHARTPULSE_COLLECTOR_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--rate", defaultValue = "100", description = "Events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            description = "How long: 30s, 2m, 1h (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka, to time the events into the enriched topic (env CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS;"
                    + " default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            defaultValue = "${env:CHARTPULSE_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "The schema registry, to read the enriched topic (env CHARTPULSE_REGISTRY_URL; default"
                    + " ${DEFAULT-VALUE}).")
    String registryUrl;

    @Mixin
    MongoOptions mongo;

    @Option(names = "--no-freshness", description = "Only send: do not time the events into Kafka and MongoDB.")
    boolean noFreshness;

    @Option(
            names = "--lake",
            description = "Also time the events into the lake's enriched_events table (its catalog from"
                    + " --connector-config, or --dev for the dev stack's).")
    boolean lake;

    @Mixin
    LakeCommand.CatalogOptions catalog;

    @Option(
            names = "--drain",
            defaultValue = "30s",
            description = "After sending, how long to wait for the sampled events to be seen everywhere (default"
                    + " ${DEFAULT-VALUE}).")
    String drain;

    @Override
    public Integer call() throws Exception {
        if (rate < 1) {
            throw new CliException(ExitCode.USAGE, "--rate must be at least 1");
        }
        Duration length = parse("--duration", duration);
        Duration drainFor = parse("--drain", drain);
        PrintWriter out = spec.commandLine().getOut();
        LoadGenerator generator = new LoadGenerator(url, seed);
        Freshness freshness = noFreshness ? null : freshness();
        if (freshness != null) {
            generator.onAccepted(freshness::accepted);
        }
        long started = System.nanoTime();
        try {
            generator.run(rate, length, c -> {
                double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
                out.printf(
                        "\rsent %,d  accepted %,d  rejected %,d  rate %,.0f/s  throttled %,d  unavailable %,d%s   ",
                        c.posted.get(),
                        c.accepted.get(),
                        c.rejected.get(),
                        c.posted.get() / seconds,
                        c.throttled.get(),
                        c.unavailable.get(),
                        freshness == null ? "" : "  " + live(freshness));
                out.flush();
            });
        } catch (IllegalStateException e) {
            throw new CliException(ExitCode.REMOTE_ERROR, e.getMessage());
        } finally {
            if (freshness != null) {
                freshness.drain(drainFor);
                freshness.close();
            }
        }
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        LoadGenerator.Counts c = generator.counts();
        out.printf(
                "%ndone: %,d distinct valid events (%,d from bots), %,d invalid (%,d refused by the collector, %,d "
                        + "by validation downstream), %,d duplicates; %,.0f events/s asked, %,.0f/s sent%n",
                c.distinctValid.get(),
                c.botEvents.get(),
                c.invalidAtCollector.get() + c.invalidAtStreams.get(),
                c.invalidAtCollector.get(),
                c.invalidAtStreams.get(),
                c.duplicatesSent.get(),
                (double) rate,
                c.posted.get() / Math.min(seconds, length.toNanos() / 1e9));
        for (String line : diagnosis(c, url)) {
            out.println(line);
        }
        if (freshness != null) {
            out.println("freshness, collector received_at -> visible (1 valid event in " + FRESHNESS_SAMPLE + "):");
            for (Freshness.Store store : freshness.stores()) {
                out.println("  " + summary(store));
            }
        }
        out.flush();
        return ExitCode.OK;
    }

    private Freshness freshness() {
        Freshness freshness = new Freshness(FRESHNESS_SAMPLE)
                .topic(bootstrapServers, registryUrl)
                .mongo(mongo.uri, mongo.database);
        if (lake) {
            freshness.lake(() -> LakeCommand.openCatalog(catalog.connectorConfig, catalog.variables()));
        }
        return freshness;
    }

    /** One valid event in this many is timed. */
    static final int FRESHNESS_SAMPLE = 5;

    /** What the refusals mean, in words; nothing when there were none. */
    static List<String> diagnosis(LoadGenerator.Counts c, String url) {
        List<String> lines = new ArrayList<>();
        if (c.throttled.get() > 0) {
            lines.add(String.format(
                    "the collector throttled %,d requests (429: more than rate.limit.events.per.second from one client"
                            + " address). loadgen sends each visitor's address in X-Forwarded-For, which the collector"
                            + " believes only from its trusted.proxies: add this host there (./chartpulse dev trusts"
                            + " loopback), or raise the limit.",
                    c.throttled.get()));
        }
        if (c.unavailable.get() > 0) {
            lines.add(String.format(
                    "the collector answered 503 to %,d requests (starting, or Kafka slow to acknowledge); they were"
                            + " sent again.",
                    c.unavailable.get()));
        }
        if (c.failedRequests.get() > 0) {
            lines.add(String.format(
                    "%,d requests to %s got no answer (refused, reset or timed out); they were sent again.",
                    c.failedRequests.get(), url));
        }
        if (c.waitedForConnection.get() > 0) {
            lines.add(String.format(
                    "%,d batches waited for one of the %d open requests to be answered: the collector is slower than"
                            + " the rate asked, so less was sent.",
                    c.waitedForConnection.get(), LoadGenerator.MAX_IN_FLIGHT));
        }
        return lines;
    }

    private static String live(Freshness freshness) {
        StringBuilder line = new StringBuilder("p99");
        for (Freshness.Store store : freshness.stores()) {
            Freshness.Percentiles p = store.percentiles();
            line.append(' ')
                    .append(store.label())
                    .append(' ')
                    .append(store.problem() != null ? "-" : p.count() == 0 ? "…" : seconds(p.p99()));
        }
        return line.toString();
    }

    static String summary(Freshness.Store store) {
        if (store.problem() != null) {
            return String.format("%-15s not measured: %s", store.name(), store.problem());
        }
        Freshness.Percentiles p = store.percentiles();
        return String.format(
                "%-15s p50 %s  p90 %s  p99 %s  max %s  (%,d events%s)",
                store.name(),
                seconds(p.p50()),
                seconds(p.p90()),
                seconds(p.p99()),
                seconds(p.max()),
                p.count(),
                store.pending() == 0 ? "" : String.format(", %,d not seen yet", store.pending()));
    }

    private static String seconds(long millis) {
        return String.format("%.2f s", millis / 1000.0);
    }

    static Duration parse(String option, String text) {
        try {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.USAGE, option + " " + text + ": expected e.g. 30s, 2m, 1h");
        }
    }
}

package io.chartpulse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.cli.load.Freshness;
import io.chartpulse.cli.load.LoadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * What a fault run writes when it is over, as JSON ({@code report.json}) and as a short Markdown table
 * ({@code report.md}): the plan and rate, each fault with its time, how long the service took to answer, the peak lag
 * of each consumer during it, when everything was back to normal and the freshness of the events the collector took
 * while it lasted; the freshness with no fault active; the load generator's counts; every reconciliation check; and
 * (JSON only) the timeline, second by second.
 */
final class FaultReport {

    /** How long after a fault ended its events still count as "around" it when no recovery was seen. */
    static final Duration AFTERMATH = Duration.ofSeconds(30);
    /** How long before a fault an event taken by the collector is counted as hit by it, not as calm traffic. */
    static final Duration BEFORE = Duration.ofSeconds(60);
    /** The start of the traffic that is the JVMs' warm-up rather than the pipeline's steady state. */
    static final Duration WARM_UP = Duration.ofSeconds(60);
    /** How far before a fault the timeline is read for what normal lag looks like. */
    static final Duration NORMAL_WINDOW = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final ObjectNode json = JSON.createObjectNode();
    final StringBuilder table = new StringBuilder();

    static FaultReport of(
            FaultPlan plan,
            int rate,
            long trafficStartEpochMillis,
            Duration traffic,
            Duration drain,
            LoadGenerator.Counts counts,
            List<FaultInjector.Done> faults,
            Timeline timeline,
            Freshness freshness,
            Reconciliation reconciliation,
            String failure) {
        FaultReport r = new FaultReport();
        r.json.put("plan", plan.name()).put("rate_requested", rate);
        double seconds = traffic.toMillis() / 1000.0;
        double achieved = counts.accepted.get() / seconds;
        r.json.put("traffic_seconds", seconds).put("rate_achieved", Math.round(achieved));
        r.json.put("drain_seconds", drain.toMillis() / 1000.0);
        r.table.append(String.format(
                Locale.ROOT,
                "Fault run `%s`: %d events/s asked, %.0f/s taken by the collector over %.0f s (every fault included);"
                        + " drained and reconciled %.0f s after the traffic stopped.%n%n",
                plan.name(),
                rate,
                achieved,
                seconds,
                drain.toMillis() / 1000.0));
        if (failure != null) {
            r.json.put("failure", failure);
            r.table
                    .append("**The run failed before its reconciliation**: ")
                    .append(failure)
                    .append("\n\n");
        }

        // A fault's span: from its start to everything being back to normal (or its end + AFTERMATH).
        long[][] spans = new long[faults.size()][2];
        ArrayNode faultRows = r.json.putArray("faults");
        r.table.append("| at | fault | answering again | peak lag streams / archive / MongoDB / lake |"
                + " back to normal | late metric inputs | freshness around it, topic / MongoDB / lake p50–p99 (s) |\n");
        r.table.append("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < faults.size(); i++) {
            FaultInjector.Done f = faults.get(i);
            long recovered = timeline.recoveredAt(f.startMillis(), f.endMillis(), NORMAL_WINDOW, rate);
            long spanEnd = recovered >= 0 ? recovered : f.endMillis() + AFTERMATH.toMillis();
            spans[i] = new long[] {f.startMillis(), spanEnd};
            ObjectNode row = faultRows.addObject();
            row.put("kind", f.fault().kind().name())
                    .put("description", f.fault().kind().description)
                    .put("at_seconds", f.startMillis() / 1000.0)
                    .put("ended_seconds", f.endMillis() / 1000.0)
                    .put("answering_after_seconds", f.upAgainMillis() / 1000.0)
                    .put(
                            "back_to_normal_after_end_seconds",
                            recovered < 0 ? null : (recovered - f.endMillis()) / 1000.0);
            ObjectNode peaks = row.putObject("peak_lag");
            StringBuilder peakText = new StringBuilder();
            for (String group : Timeline.GROUPS.keySet()) {
                long peak = timeline.peak(group, f.startMillis(), spanEnd + 1);
                peaks.put(group, peak);
                peakText.append(peakText.length() == 0 ? "" : " / ").append(peak < 0 ? "–" : String.valueOf(peak));
            }
            long late = timeline.lateMetrics(f.startMillis(), spanEnd + 1);
            row.put("late_metric_inputs", late);
            long from = trafficStartEpochMillis + f.startMillis();
            long to = trafficStartEpochMillis + spanEnd;
            ObjectNode around = row.putObject("freshness_ms");
            String freshText = freshness(freshness, t -> t >= from && t < to, around);
            r.table.append(String.format(
                    Locale.ROOT,
                    "| %.0f s | %s | %.1f s | %s | %s | %d | %s |%n",
                    f.startMillis() / 1000.0,
                    f.fault().kind().description,
                    f.upAgainMillis() / 1000.0,
                    peakText,
                    recovered < 0
                            ? "not seen"
                            : String.format(Locale.ROOT, "%.0f s after", (recovered - f.endMillis()) / 1000.0),
                    late,
                    freshText));
        }

        // Events taken shortly before a fault were often still on their way when it hit: they count as its.
        LongPredicate calm = t -> {
            for (long[] span : spans) {
                if (t >= trafficStartEpochMillis + span[0] - BEFORE.toMillis()
                        && t < trafficStartEpochMillis + span[1]) {
                    return false;
                }
            }
            return true;
        };
        ObjectNode calmJson = r.json.putObject("freshness_no_fault_ms");
        String calmText = freshness(freshness, calm, calmJson);
        r.table.append(String.format(
                Locale.ROOT,
                "%nFreshness with no fault active (events taken more than %d s before a fault and after everything was"
                        + " back to normal; topic / MongoDB / lake, p50–p99): %s s.%n",
                BEFORE.toSeconds(),
                calmText));
        // The first minute is every JVM's warm-up (the JIT compiling the hot code while the traffic already runs).
        long warmedUp = trafficStartEpochMillis + WARM_UP.toMillis();
        ObjectNode warmJson = r.json.putObject("freshness_no_fault_after_warm_up_ms");
        String warmText = freshness(freshness, t -> t >= warmedUp && calm.test(t), warmJson);
        r.table.append(String.format(
                Locale.ROOT,
                "The same after the first %d s of traffic (the JVMs' warm-up left out): %s s.%n",
                WARM_UP.toSeconds(),
                warmText));
        ObjectNode allJson = r.json.putObject("freshness_whole_run_ms");
        String allText = freshness(freshness, t -> true, allJson);
        r.table.append(String.format(Locale.ROOT, "Freshness over the whole run, faults included: %s s.%n%n", allText));

        long late = timeline.lateMetrics(Long.MIN_VALUE, Long.MAX_VALUE);
        r.json.put("late_metric_inputs", late)
                .put("metrics_grace_seconds", plan.metricsGrace().toSeconds());
        r.table.append(String.format(
                Locale.ROOT,
                "Late metric inputs (an event whose minute was already final when it reached the per-minute metrics,"
                        + " grace %d s): %d over the run.%n%n",
                plan.metricsGrace().toSeconds(),
                late));

        ObjectNode c = r.json.putObject("counts");
        c.put("posted", counts.posted.get())
                .put("accepted", counts.accepted.get())
                .put("refused_by_collector", counts.rejected.get())
                .put("distinct_valid", counts.distinctValid.get())
                .put("invalid_at_collector", counts.invalidAtCollector.get())
                .put("invalid_at_streams", counts.invalidAtStreams.get())
                .put("duplicates_sent", counts.duplicatesSent.get())
                .put("bot_events", counts.botEvents.get())
                .put("retried_batches", counts.retriedBatches.get())
                .put("answered_503", counts.unavailable.get())
                .put("answered_429", counts.throttled.get())
                .put("no_answer", counts.failedRequests.get());
        if (reconciliation != null) {
            c.put("raw_records_v1", reconciliation.rawV1)
                    .put("raw_records_v2", reconciliation.rawV2)
                    .put("enriched_with_variant", reconciliation.variantsDownstream);
        }
        r.table.append(String.format(
                Locale.ROOT,
                "Counts: %d events posted, %d accepted, %d distinct valid, %d invalid (%d at the collector, %d at the"
                        + " streams app), %d duplicates sent, %d bot events; %d batches retried (%d answered 503,"
                        + " %d 429, %d no answer)",
                counts.posted.get(),
                counts.accepted.get(),
                counts.distinctValid.get(),
                counts.invalidAtCollector.get() + counts.invalidAtStreams.get(),
                counts.invalidAtCollector.get(),
                counts.invalidAtStreams.get(),
                counts.duplicatesSent.get(),
                counts.botEvents.get(),
                counts.retriedBatches.get(),
                counts.unavailable.get(),
                counts.throttled.get(),
                counts.failedRequests.get()));
        r.table.append(
                reconciliation == null
                        ? ".\n\n"
                        : String.format(
                                Locale.ROOT,
                                "; raw records %d of ChartEvent v1 and %d of v2, %d enriched events carry a variant.%n%n",
                                reconciliation.rawV1,
                                reconciliation.rawV2,
                                reconciliation.variantsDownstream));
        if (reconciliation == null) {
            r.json.put("exact", false);
            appendTimeline(r, timeline);
            return r;
        }

        ArrayNode checks = r.json.putArray("reconciliation");
        r.table.append("| check | expected | found | |\n|---|---|---|---|\n");
        for (Reconciliation.Check check : reconciliation.checks) {
            checks.addObject()
                    .put("check", check.what())
                    .put("expected", check.expected())
                    .put("found", check.found())
                    .put("holds", check.holds())
                    .put("detail", check.detail());
            r.table.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %s |%n",
                    check.what(),
                    check.expected(),
                    check.found(),
                    check.holds() ? "exact" : "**off** " + check.detail()));
        }
        r.json.put("exact", reconciliation.exact());
        appendTimeline(r, timeline);
        return r;
    }

    // Second by second, for what the table sums up (where a backlog built up and drained).
    private static void appendTimeline(FaultReport r, Timeline timeline) {
        ArrayNode timelineRows = r.json.putArray("timeline");
        for (Timeline.Sample sample : timeline.samples()) {
            ObjectNode row = timelineRows
                    .addObject()
                    .put("at_seconds", sample.atMillis() / 1000.0)
                    .put("accepted", sample.accepted())
                    .put("late_metric_inputs", sample.lateMetrics());
            ObjectNode lag = row.putObject("lag");
            sample.lag().forEach(lag::put);
        }
    }

    // "topic 0.15–0.60 / mongo … / lake …" in seconds, and the same in milliseconds into json.
    private static String freshness(Freshness freshness, LongPredicate receivedAt, ObjectNode json) {
        StringBuilder text = new StringBuilder();
        for (Freshness.Store store : freshness.stores()) {
            Freshness.Percentiles p = store.percentiles(receivedAt);
            json.putObject(store.label())
                    .put("count", p.count())
                    .put("p50", p.p50())
                    .put("p90", p.p90())
                    .put("p99", p.p99())
                    .put("max", p.max());
            text.append(text.length() == 0 ? "" : " / ")
                    .append(
                            p.count() == 0
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.2f–%.2f", p.p50() / 1000.0, p.p99() / 1000.0));
        }
        return text.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("report.json").toFile(), json);
        Files.writeString(dir.resolve("report.md"), table);
    }
}

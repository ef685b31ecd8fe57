package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartMetric;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the topology counts (valid events, rejections by code, duplicates, bots, catalog misses) and the
 * {@link DependencyGuard} its steps wait in. Thread-safe.
 */
public final class TopologyCounters {

    /** The stall limit of {@link #TopologyCounters()}: {@value} ms. */
    public static final long DEFAULT_MAX_STALL_MS = 45_000;

    private final DependencyGuard guard;

    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong erased = new AtomicLong();
    private final AtomicLong erasedSessions = new AtomicLong();
    private final AtomicLong bots = new AtomicLong();
    private final AtomicLong catalogMisses = new AtomicLong();
    private final AtomicLong lateForSession = new AtomicLong();
    private final AtomicLong lateForMetrics = new AtomicLong();
    private final AtomicLong enrichNanos = new AtomicLong();
    private final AtomicLong enrichCount = new AtomicLong();
    private final AtomicLong newestReceived = new AtomicLong();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final Map<String, long[]> charts = new ConcurrentHashMap<>();
    private final Map<String, String> sites = new ConcurrentHashMap<>();
    private final MinuteCounts minutes = new MinuteCounts();

    /** Counters with a guard that waits up to {@link #DEFAULT_MAX_STALL_MS} for a dependency. */
    public TopologyCounters() {
        this(new DependencyGuard(Duration.ofMillis(DEFAULT_MAX_STALL_MS)));
    }

    public TopologyCounters(DependencyGuard guard) {
        this.guard = guard;
    }

    /** Where the topology's steps wait out an outage of the schema registry. */
    public DependencyGuard guard() {
        return guard;
    }

    /** Valid events, bots, duplicates and rejections by wall-clock minute (the dashboard's shares). */
    public MinuteCounts minutes() {
        return minutes;
    }

    void valid() {
        valid.incrementAndGet();
        minutes.add(MinuteCounts.Kind.VALID);
    }

    void duplicate() {
        duplicates.incrementAndGet();
        minutes.add(MinuteCounts.Kind.DUPLICATE);
    }

    /** An event of a visitor whose erasure was requested, dropped. */
    void erased() {
        erased.incrementAndGet();
    }

    /** A closed session of a visitor whose erasure was requested, dropped instead of emitted. */
    void erasedSession() {
        erasedSessions.incrementAndGet();
    }

    public long erasedCount() {
        return erased.get();
    }

    public long erasedSessionCount() {
        return erasedSessions.get();
    }

    void bot() {
        bots.incrementAndGet();
        minutes.add(MinuteCounts.Kind.BOT);
    }

    void catalogMiss() {
        catalogMisses.incrementAndGet();
    }

    void lateForSession() {
        lateForSession.incrementAndGet();
    }

    void enriched(long nanos, long receivedAtMillis) {
        enrichNanos.addAndGet(nanos);
        enrichCount.incrementAndGet();
        newestReceived.accumulateAndGet(receivedAtMillis, Math::max);
    }

    /** Adds a final chart-level minute (product rows are left out) to the per-chart totals. */
    public void chartMinute(ChartMetric m) {
        if (m.getProductId() == null) {
            long[] totals = charts.computeIfAbsent(m.getChartId(), c -> new long[3]);
            synchronized (totals) {
                totals[0] += m.getImpressions();
                totals[1] += m.getClicks();
                totals[2] += m.getOutboundClicks();
            }
        }
    }

    /** Notes the site a chart belongs to, as the catalog says when one of its events is enriched. */
    void chartSite(String chart, String site) {
        if (site != null && !site.equals(sites.get(chart))) {
            sites.put(chart, site);
        }
    }

    /** The site the catalog last gave for {@code chart}; empty when it gave none (yet). */
    public String site(String chart) {
        return sites.getOrDefault(chart, "");
    }

    /** Per chart: impressions, clicks and outbound clicks of the minutes emitted so far by this instance. */
    public Map<String, long[]> chartTotals() {
        Map<String, long[]> copy = new TreeMap<>();
        charts.forEach((chart, totals) -> {
            synchronized (totals) {
                copy.put(chart, totals.clone());
            }
        });
        return copy;
    }

    /** received_at of the newest event enriched so far, in epoch seconds (0 before any): end-to-end freshness. */
    public double newestEnrichedReceivedSeconds() {
        return newestReceived.get() / 1000.0;
    }

    /** Events enriched so far and the total time the enrichment chain took for them. */
    public long enrichCount() {
        return enrichCount.get();
    }

    public double enrichSeconds() {
        return enrichNanos.get() / 1e9;
    }

    void lateForMetrics() {
        lateForMetrics.incrementAndGet();
    }

    public long lateForMetricsCount() {
        return lateForMetrics.get();
    }

    public long lateForSessionCount() {
        return lateForSession.get();
    }

    void rejected(String code) {
        rejected.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        minutes.add(MinuteCounts.Kind.REJECTED);
    }

    public long validCount() {
        return valid.get();
    }

    public long duplicateCount() {
        return duplicates.get();
    }

    public long botCount() {
        return bots.get();
    }

    public long catalogMissCount() {
        return catalogMisses.get();
    }

    public Map<String, Long> rejectedByCode() {
        Map<String, Long> out = new TreeMap<>();
        rejected.forEach((code, count) -> out.put(code, count.get()));
        return out;
    }
}

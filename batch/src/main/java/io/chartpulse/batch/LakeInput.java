package io.chartpulse.batch;

import io.chartpulse.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads the lake's committed tables for an interval with Iceberg's own Java reader: the enriched events whose
 * event time ({@code derived_at}, the tables' partition column) lies in the interval, and the sessions that start in
 * it. Only the columns the rollups use are read, and only the day partitions the interval touches are opened.
 */
public final class LakeInput {

    /** The enriched-event columns a rollup reads (the reader opens nothing else). */
    static final List<String> EVENT_COLUMNS = List.of(
            "event_id",
            "event_type",
            "derived_at",
            "received_at",
            "anonymous_id",
            "session_id",
            "chart.chart_id",
            "product.product_id",
            "product.rank",
            "product.merchant",
            "user_agent.device_class",
            "referrer.referrer_class",
            "campaign.name",
            "is_bot");

    static final List<String> SESSION_COLUMNS =
            List.of("session_id", "start_at", "duration_ms", "charts", "is_bounce", "is_bot");

    private final Catalog catalog;

    public LakeInput(Catalog catalog) {
        this.catalog = catalog;
    }

    /** One enriched event, as much of it as a rollup needs. */
    public record EventRow(
            String eventId,
            String eventType,
            Instant derivedAt,
            Instant receivedAt,
            String anonymousId,
            String sessionId,
            String chartId,
            String productId,
            Integer rank,
            String merchant,
            String deviceClass,
            String referrerClass,
            String campaign,
            boolean bot) {}

    /** One session, as much of it as a rollup needs. */
    public record SessionRow(
            String sessionId, Instant startAt, long durationMs, List<String> charts, boolean bounce, boolean bot) {}

    /** Calls {@code sink} with every enriched event whose {@code derived_at} lies in {@code interval}. */
    public long events(Interval interval, Consumer<EventRow> sink) {
        return scan(LakeTable.ENRICHED_EVENTS, timeFilter("derived_at", interval), EVENT_COLUMNS, r -> {
            Record chart = (Record) r.getField("chart");
            Record product = (Record) r.getField("product");
            Record ua = (Record) r.getField("user_agent");
            Record referrer = (Record) r.getField("referrer");
            Record campaign = (Record) r.getField("campaign");
            sink.accept(new EventRow(
                    (String) r.getField("event_id"),
                    (String) r.getField("event_type"),
                    instant(r.getField("derived_at")),
                    instant(r.getField("received_at")),
                    (String) r.getField("anonymous_id"),
                    (String) r.getField("session_id"),
                    chart == null ? null : (String) chart.getField("chart_id"),
                    product == null ? null : (String) product.getField("product_id"),
                    product == null ? null : (Integer) product.getField("rank"),
                    product == null ? null : (String) product.getField("merchant"),
                    ua == null ? null : (String) ua.getField("device_class"),
                    referrer == null ? null : (String) referrer.getField("referrer_class"),
                    campaign == null ? null : (String) campaign.getField("name"),
                    Boolean.TRUE.equals(r.getField("is_bot"))));
        });
    }

    /** Calls {@code sink} with every session whose {@code start_at} lies in {@code interval}. */
    public long sessions(Interval interval, Consumer<SessionRow> sink) {
        return scan(LakeTable.SESSIONS, timeFilter("start_at", interval), SESSION_COLUMNS, r -> {
            @SuppressWarnings("unchecked")
            List<String> charts = (List<String>) r.getField("charts");
            sink.accept(new SessionRow(
                    (String) r.getField("session_id"),
                    instant(r.getField("start_at")),
                    (Long) r.getField("duration_ms"),
                    charts == null ? List.of() : charts,
                    Boolean.TRUE.equals(r.getField("is_bounce")),
                    Boolean.TRUE.equals(r.getField("is_bot"))));
        });
    }

    /** Calls {@code sink} with the event id of every enriched event received in {@code interval}. */
    public long receivedEventIds(Interval interval, Consumer<String> sink) {
        // Enriched events are partitioned by derived_at, which lies within the allowed clock skew of received_at;
        // the filter on received_at is exact, and Iceberg skips files by their column bounds.
        return scan(
                LakeTable.ENRICHED_EVENTS,
                timeFilter("received_at", interval),
                List.of("event_id", "received_at"),
                r -> sink.accept((String) r.getField("event_id")));
    }

    /** {@code column} in {@code [start, end)}. */
    static Expression timeFilter(String column, Interval interval) {
        return Expressions.and(
                Expressions.greaterThanOrEqual(column, micros(interval.start())),
                Expressions.lessThan(column, micros(interval.end())));
    }

    static long micros(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
    }

    private long scan(LakeTable lakeTable, Expression filter, List<String> columns, Consumer<Record> each) {
        Table table = catalog.loadTable(lakeTable.identifier());
        long n = 0;
        try (CloseableIterable<Record> rows =
                IcebergGenerics.read(table).where(filter).select(columns).build()) {
            for (Record r : rows) {
                each.accept(r);
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + table.name(), e);
        }
        return n;
    }

    private static Instant instant(Object value) {
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }
}

package io.chartpulse.batch;

import io.chartpulse.lake.LakeTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The rollups a batch run writes, each a MongoDB collection and an Iceberg table of the same name and columns per
 * grain: {@code product_daily} holds days only and {@code product_hourly} hours only, so that a BI tool summing a
 * collection never counts a day twice. Every row carries its interval ({@code interval}, {@code grain} — the same on
 * every row of a table —, {@code interval_start}, {@code interval_end}) and the run that wrote it ({@code run_id},
 * {@code computed_at}); the {@link #keyColumns()} after the interval identify the row within it (they make the
 * MongoDB {@code _id}). Declared here and nowhere else.
 */
public enum RollupTable {
    /** The finest grain: chart × product × rank × merchant × device class × referrer class × campaign. */
    PRODUCT(
            "product",
            "One row per chart, product, rank, merchant, device class, referrer class and campaign seen in the"
                    + " interval (bots excluded).",
            List.of("chart_id", "product_id", "rank", "merchant", "device_class", "referrer_class", "campaign"),
            List.of(
                    req("chart_id", Types.StringType.get(), "the chart"),
                    req("product_id", Types.StringType.get(), "the product"),
                    opt("rank", Types.IntegerType.get(), "the product's position in the chart (1 = top)"),
                    opt("merchant", Types.StringType.get(), "the merchant of the deal"),
                    req("device_class", Types.StringType.get(), "the user agent's device class, Unknown when none"),
                    req("referrer_class", Types.StringType.get(), "the referrer class, UNKNOWN when none"),
                    req("campaign", Types.StringType.get(), "utm_campaign, (none) when none"),
                    req("impressions", Types.LongType.get(), "product impressions"),
                    req("clicks", Types.LongType.get(), "product clicks"),
                    req("outbound_clicks", Types.LongType.get(), "outbound (view deal) clicks"),
                    opt("ctr", Types.DoubleType.get(), "clicks / impressions; null without impressions"),
                    req("visitors", Types.LongType.get(), "distinct visitors (exact; union visitors_hll across rows)"),
                    req(
                            "visitors_hll",
                            Types.BinaryType.get(),
                            "the visitors' HLL sketch (DataSketches HLL_4, lgK 12): union it across rows"))),
    CHART(
            "chart",
            "One row per chart seen in the interval (bots excluded, counted apart).",
            List.of("chart_id"),
            List.of(
                    req("chart_id", Types.StringType.get(), "the chart"),
                    req("chart_impressions", Types.LongType.get(), "chart impressions"),
                    req("product_impressions", Types.LongType.get(), "product impressions"),
                    req("clicks", Types.LongType.get(), "product clicks"),
                    req("outbound_clicks", Types.LongType.get(), "outbound clicks"),
                    opt("ctr", Types.DoubleType.get(), "clicks / product impressions"),
                    req("visitors", Types.LongType.get(), "distinct visitors (exact; union visitors_hll across rows)"),
                    req("visitors_hll", Types.BinaryType.get(), "the visitors' HLL sketch"),
                    req("sessions", Types.LongType.get(), "sessions starting in the interval that saw the chart"),
                    req("bounced_sessions", Types.LongType.get(), "of those, the bounces"),
                    opt("avg_session_ms", Types.DoubleType.get(), "their mean duration"),
                    req("bot_events", Types.LongType.get(), "events of bots on the chart, left out of every count"),
                    req(
                            "outbound_by_merchant",
                            Types.MapType.ofRequired(1_000, 1_001, Types.StringType.get(), Types.LongType.get()),
                            "outbound clicks per merchant (the revenue-relevant count)"))),
    FUNNEL(
            "funnel",
            "Per chart (and * for all charts), the client sessions reaching each step in order: chart seen, product"
                    + " impression, product click, outbound click.",
            List.of("chart_id"),
            List.of(
                    req("chart_id", Types.StringType.get(), "the chart, or * for every chart"),
                    req("chart_seen", Types.LongType.get(), "sessions with a chart impression"),
                    req("product_impression", Types.LongType.get(), "… then a product impression"),
                    req("product_click", Types.LongType.get(), "… then a product click"),
                    req("outbound_click", Types.LongType.get(), "… then an outbound click"),
                    opt("impression_rate", Types.DoubleType.get(), "product_impression / chart_seen"),
                    opt("click_rate", Types.DoubleType.get(), "product_click / product_impression"),
                    opt("outbound_rate", Types.DoubleType.get(), "outbound_click / product_click"))),
    RANK_CTR(
            "rank_ctr",
            "Per chart and rank, the click-through rate: the position-bias curve.",
            List.of("chart_id", "rank"),
            List.of(
                    req("chart_id", Types.StringType.get(), "the chart"),
                    req("rank", Types.IntegerType.get(), "the position (1 = top)"),
                    req("impressions", Types.LongType.get(), "product impressions at this rank"),
                    req("clicks", Types.LongType.get(), "product clicks at this rank"),
                    req("outbound_clicks", Types.LongType.get(), "outbound clicks at this rank"),
                    opt("ctr", Types.DoubleType.get(), "clicks / impressions"),
                    opt("ctr_vs_top", Types.DoubleType.get(), "ctr / the ctr of the chart's top rank seen")));

    /** Columns every rollup row starts with: its interval. */
    static final List<NestedField> INTERVAL_COLUMNS = List.of(
            req("interval", Types.StringType.get(), "the interval's name: 2026-12-01 (day) or 2026-12-01T13 (hour)"),
            req("grain", Types.StringType.get(), "day or hour, the same on every row of the table"),
            req("interval_start", Types.TimestampType.withZone(), "the interval's first instant"),
            req("interval_end", Types.TimestampType.withZone(), "the first instant after it"));

    /** Columns every rollup row ends with: the run that wrote it. */
    static final List<NestedField> RUN_COLUMNS = List.of(
            req("computed_at", Types.TimestampType.withZone(), "when the run computed the row"),
            req("run_id", Types.StringType.get(), "the run that wrote the row"));

    private final String stem;
    private final String doc;
    private final List<String> keyColumns;
    private final List<NestedField> columns;

    RollupTable(String stem, String doc, List<String> keyColumns, List<NestedField> columns) {
        this.stem = stem;
        this.doc = doc;
        this.keyColumns = keyColumns;
        this.columns = columns;
    }

    /** The collection's and the table's name for {@code grain}: {@code chart_daily}, {@code chart_hourly}. */
    public String tableName(Interval.Grain grain) {
        return stem + "_" + grain.tableSuffix();
    }

    /** What one row is. */
    public String doc() {
        return doc;
    }

    /** The columns that identify a row within its interval. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** {@code chartpulse.<table>} of {@code grain} in the lake's catalog. */
    public TableIdentifier identifier(Interval.Grain grain) {
        return TableIdentifier.of(LakeTable.NAMESPACE, tableName(grain));
    }

    /** Every column, in order: the interval's, the table's own, the run's. */
    public List<NestedField> columns() {
        List<NestedField> all = new ArrayList<>(INTERVAL_COLUMNS);
        all.addAll(columns);
        all.addAll(RUN_COLUMNS);
        return all;
    }

    /** The Iceberg schema (ids are reassigned by the catalog on create). */
    public Schema schema() {
        List<NestedField> numbered = new ArrayList<>();
        int id = 1;
        for (NestedField f : columns()) {
            Type type = f.type();
            if (type.isMapType()) {
                type = Types.MapType.ofRequired(
                        100 + id,
                        200 + id,
                        type.asMapType().keyType(),
                        type.asMapType().valueType());
            }
            numbered.add(NestedField.of(id++, f.isOptional(), f.name(), type, f.doc()));
        }
        return new Schema(numbered);
    }

    /** Partitioned by the UTC day of {@code interval_start}, as the lake's other tables by their event day. */
    public PartitionSpec spec(Schema schema) {
        return PartitionSpec.builderFor(schema).day("interval_start").build();
    }

    private static NestedField req(String name, Type type, String doc) {
        return NestedField.required(0, name, type, doc);
    }

    private static NestedField opt(String name, Type type, String doc) {
        return NestedField.optional(0, name, type, doc);
    }
}

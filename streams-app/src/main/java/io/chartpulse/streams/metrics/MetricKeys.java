package io.chartpulse.streams.metrics;

/**
 * The keys chart metrics are grouped, stored and written under, built so that no two (chart, product) pairs share
 * one whatever bytes the ids hold. Ids are escaped ({@code \} as {@code \\}, {@code |} as {@code \|}, NUL as
 * {@code \0}) and joined with {@code |}: an unescaped {@code |} is always a separator, and a key holds no NUL, which
 * the store key uses to set off the window start. Ids without those three characters are unchanged, so the keys
 * of ordinary ids read as plain {@code chart|product}.
 *
 * <ul>
 *   <li>group (repartition key, store key prefix): {@code chart} or {@code chart|product}
 *   <li>output key (chart.metrics.minute.v1): {@code chart|product|window start}, product empty for chart rows
 * </ul>
 */
public final class MetricKeys {

    private MetricKeys() {}

    /** The group of a chart's ({@code product} null) or a product's rows. */
    public static String group(String chart, String product) {
        return product == null ? escape(chart) : escape(chart) + '|' + escape(product);
    }

    /** The chart and product (null for a chart row) of a group. */
    public static String[] parseGroup(String group) {
        int bar = separator(group, 0);
        return bar < 0
                ? new String[] {unescape(group), null}
                : new String[] {unescape(group.substring(0, bar)), unescape(group.substring(bar + 1))};
    }

    /** The key of a final window in the metrics topic. */
    public static String outputKey(String chart, String product, long windowStart) {
        return escape(chart) + '|' + (product == null ? "" : escape(product)) + '|' + windowStart;
    }

    /** {@code id} with {@code \}, {@code |} and NUL escaped. */
    public static String escape(String id) {
        if (id.indexOf('\\') < 0 && id.indexOf('|') < 0 && id.indexOf('\u0000') < 0) {
            return id;
        }
        StringBuilder out = new StringBuilder(id.length() + 8);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\u0000' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String escaped) {
        if (escaped.indexOf('\\') < 0) {
            return escaped;
        }
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char next = escaped.charAt(++i);
                out.append(next == '0' ? '\u0000' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // The index of the first unescaped '|' at or after from, or -1.
    private static int separator(String key, int from) {
        for (int i = from; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '|') {
                return i;
            }
        }
        return -1;
    }
}

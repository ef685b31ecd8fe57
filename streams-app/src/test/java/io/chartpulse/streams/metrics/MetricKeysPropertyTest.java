package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartMetric;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Keys of chart metrics cannot collide, whatever bytes chart and product ids hold. */
class MetricKeysPropertyTest {

    @Provide
    Arbitrary<String> ids() {
        // Mostly the characters that matter: separators, escapes, NUL, and a few letters.
        return Arbitraries.strings()
                .withChars('|', '\\', '\u0000', '0', 'a', 'b', '}')
                .ofMinLength(1)
                .ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> products() {
        return ids().injectNull(0.3);
    }

    @Property(tries = 2000)
    void groupsAndOutputKeysAreInjective(
            @ForAll("ids") String chartA,
            @ForAll("products") String productA,
            @ForAll("ids") String chartB,
            @ForAll("products") String productB,
            @ForAll @LongRange(min = 0, max = 3) long startA,
            @ForAll @LongRange(min = 0, max = 3) long startB) {
        boolean same = chartA.equals(chartB) && Objects.equals(productA, productB);
        assertThat(MetricKeys.group(chartA, productA).equals(MetricKeys.group(chartB, productB)))
                .isEqualTo(same);
        assertThat(MetricKeys.outputKey(chartA, productA, startA * 60_000)
                        .equals(MetricKeys.outputKey(chartB, productB, startB * 60_000)))
                .isEqualTo(same && startA == startB);
    }

    @Property(tries = 2000)
    void aStoredWindowReadsBackAsTheChartAndProductItWasStoredFor(
            @ForAll("ids") String chart,
            @ForAll("products") String product,
            @ForAll @LongRange(min = 0, max = 10_000_000) long minute) {
        String group = MetricKeys.group(chart, product);
        assertThat(group).doesNotContain("\u0000");
        assertThat(MetricKeys.parseGroup(group)).containsExactly(chart, product);
        ChartMetric m = ChartMetrics.toMetric(ChartMetrics.storeKey(group, minute * 60_000), new MetricAggregate());
        assertThat(m.getChartId()).isEqualTo(chart);
        assertThat(m.getProductId()).isEqualTo(product);
        assertThat(m.getWindowStart().toEpochMilli()).isEqualTo(minute * 60_000);
    }

    @Property(tries = 500)
    void aChartsProductRowsSortInsideTheRangeTheQueryReadsAndNoOtherChartsDo(
            @ForAll("ids") String chart, @ForAll("ids") String other, @ForAll("ids") String product) {
        String low = MetricKeys.group(chart, null) + "|";
        String high = MetricKeys.group(chart, null) + "}";
        String key = ChartMetrics.storeKey(MetricKeys.group(other, product), 0);
        boolean inRange = key.compareTo(low) >= 0 && key.compareTo(high) <= 0;
        assertThat(inRange).isEqualTo(other.equals(chart));
    }

    @Property(tries = 200)
    void ordinaryIdsAreUnchanged(@ForAll("plain") String chart, @ForAll("plain") String product) {
        assertThat(MetricKeys.group(chart, product)).isEqualTo(chart + "|" + product);
        assertThat(MetricKeys.outputKey(chart, null, 60_000)).isEqualTo(chart + "||60000");
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars('-', '_', ':')
                .ofMinLength(1)
                .ofMaxLength(20);
    }
}

package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricAggregateTest {

    @Test
    void uniqueVisitorsEstimateIsWithinItsStatedErrorOnTenThousandVisitors() {
        MetricAggregate aggregate = new MetricAggregate();
        for (int i = 0; i < 10_000; i++) {
            aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "visitor-" + i));
            aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "visitor-" + i));
        }
        assertThat(aggregate.impressions()).isEqualTo(20_000);
        // Three standard errors: fails about once in 370 runs by chance, and never with a broken sketch.
        assertThat((double) aggregate.uniqueVisitors()).isCloseTo(10_000, within(3 * MetricAggregate.RSE * 10_000));
    }

    @Test
    void countsClicksOutboundClicksAndCtrAndSurvivesTheStoreSerde() {
        MetricAggregate aggregate = new MetricAggregate();
        for (int i = 0; i < 4; i++) {
            aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "a"));
        }
        aggregate.add(new MetricInput(MetricInput.Kind.PRODUCT_CLICK, 0, "a"));
        aggregate.add(new MetricInput(MetricInput.Kind.OUTBOUND_CLICK, 0, "b"));
        aggregate.add(new MetricInput(MetricInput.Kind.VISIT, 0, "c"));
        MetricAggregate back = MetricAggregate.serde()
                .deserializer()
                .deserialize("t", MetricAggregate.serde().serializer().serialize("t", aggregate));
        assertThat(back.impressions()).isEqualTo(4);
        assertThat(back.clicks()).isEqualTo(2);
        assertThat(back.outboundClicks()).isEqualTo(1);
        assertThat(back.ctr()).isEqualTo(0.5);
        assertThat(back.uniqueVisitors()).isEqualTo(3);
        assertThat(new MetricAggregate().ctr()).isZero();
    }

    @Test
    void keepsAProductsCountsByRankAndMerchantThroughTheSerdeAndCapsThem() {
        MetricAggregate aggregate = new MetricAggregate();
        aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "a", 0, 2, "shop-a"));
        aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "a", 0, 2, "shop-a"));
        aggregate.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "b", 0, 1, "shop-b"));
        aggregate.add(new MetricInput(MetricInput.Kind.OUTBOUND_CLICK, 0, "a", 0, 2, "shop-a"));
        aggregate.add(new MetricInput(MetricInput.Kind.PRODUCT_CLICK, 0, "b", 0, null, null));
        MetricAggregate back = MetricAggregate.serde()
                .deserializer()
                .deserialize("t", MetricAggregate.serde().serializer().serialize("t", aggregate));
        assertThat(back.byRank()).containsOnlyKeys(1, 2);
        assertThat(back.byRank().get(2)).containsExactly(2, 1, 1);
        assertThat(back.byRank().get(1)).containsExactly(1, 0, 0);
        assertThat(back.byMerchant().get("shop-a")).containsExactly(2, 1, 1);
        assertThat(back.byMerchant().get("shop-b")).containsExactly(1, 0, 0);
        // The click without a row counts in the totals only.
        assertThat(back.clicks()).isEqualTo(2);
        assertThat(back.uniqueVisitors()).isEqualTo(2);

        MetricAggregate many = new MetricAggregate();
        for (int rank = 1; rank <= 40; rank++) {
            many.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "v", 0, rank, "m" + rank));
        }
        assertThat(many.byRank()).hasSize(MetricAggregate.MAX_BREAKDOWN + 1);
        assertThat(many.byRank().get(MetricAggregate.OTHER_RANK)[0]).isEqualTo(40 - MetricAggregate.MAX_BREAKDOWN);
        assertThat(many.byMerchant().get(MetricAggregate.OTHER_MERCHANT)[0])
                .isEqualTo(40 - MetricAggregate.MAX_BREAKDOWN);
        assertThat(many.byRank().values().stream().mapToLong(c -> c[0]).sum()).isEqualTo(40);
    }

    @Test
    void aValueWrittenBeforeBreakdownsReadsWithNone() {
        MetricAggregate old = new MetricAggregate();
        old.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "a"));
        byte[] bytes = MetricAggregate.serde().serializer().serialize("t", old);
        assertThat(bytes[24] & 4).as("no breakdown flag when there is none").isZero();
        MetricAggregate back = MetricAggregate.serde().deserializer().deserialize("t", bytes);
        assertThat(back.byRank()).isEmpty();
        assertThat(back.impressions()).isEqualTo(1);
    }
}

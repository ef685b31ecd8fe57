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
}

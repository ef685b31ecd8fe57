package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MetricPartialTest {

    private static final MetricInput.Kind[] KINDS = MetricInput.Kind.values();

    private static MetricPartial roundTrip(MetricPartial p) {
        return MetricPartial.serde()
                .deserializer()
                .deserialize("t", MetricPartial.serde().serializer().serialize("t", p));
    }

    @Test
    void survivesItsSerdeWithPartitionNewestTimeAndInputCount() {
        MetricPartial p = new MetricPartial(3);
        p.add(new MetricInput(MetricInput.Kind.IMPRESSION, 5_000, "a", 3, 2, "shop-a"));
        p.add(new MetricInput(MetricInput.Kind.OUTBOUND_CLICK, 9_000, "b", 3, 2, "shop-a"));
        p.add(new MetricInput(MetricInput.Kind.IMPRESSION, 7_000, "a", 3, 1, "shop-b"));

        MetricPartial back = roundTrip(p);
        assertThat(back.partition()).isEqualTo(3);
        assertThat(back.newest()).isEqualTo(9_000);
        assertThat(back.inputs()).isEqualTo(3);
        assertThat(back.aggregate().impressions()).isEqualTo(2);
        assertThat(back.aggregate().clicks()).isEqualTo(1);
        assertThat(back.aggregate().outboundClicks()).isEqualTo(1);
        assertThat(back.aggregate().uniqueVisitors()).isEqualTo(2);
        assertThat(back.aggregate().byRank().get(2)).containsExactly(1, 1, 1);
        assertThat(back.aggregate().byMerchant().get("shop-b")).containsExactly(1, 0, 0);
    }

    @Test
    void aRecordOfTheOneInputFormatReadsAsAPartialOfThatInput() {
        // What the repartition topic held before partials: a record in flight at the upgrade still counts.
        MetricInput input = new MetricInput(MetricInput.Kind.PRODUCT_CLICK, 42_000, "v", 1, 4, "shop");
        byte[] old = MetricInput.serde().serializer().serialize("t", input);
        assertThat(old[0]).isNotEqualTo(MetricPartial.FORMAT);

        MetricPartial p = MetricPartial.serde().deserializer().deserialize("t", old);
        assertThat(p.partition()).isEqualTo(1);
        assertThat(p.newest()).isEqualTo(42_000);
        assertThat(p.inputs()).isEqualTo(1);
        assertThat(p.aggregate().clicks()).isEqualTo(1);
        assertThat(p.aggregate().byRank().get(4)).containsExactly(0, 1, 0);
    }

    /** Merging the partials of any split of a window's inputs gives what adding them all to one window gives. */
    @Property(tries = 60)
    void mergingPartialsEqualsAddingEveryInput(
            @ForAll @IntRange(min = 0, max = 3_000) int inputs,
            @ForAll @IntRange(min = 1, max = 8) int parts,
            @ForAll long seed) {
        Random random = new Random(seed);
        MetricAggregate whole = new MetricAggregate();
        List<MetricPartial> partials = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            partials.add(new MetricPartial(0));
        }
        for (int i = 0; i < inputs; i++) {
            boolean row = random.nextBoolean();
            MetricInput input = new MetricInput(
                    KINDS[random.nextInt(KINDS.length)],
                    i,
                    "v" + random.nextInt(Math.max(1, inputs / 2)),
                    0,
                    row ? 1 + random.nextInt(24) : null,
                    row ? "m" + random.nextInt(24) : null);
            whole.add(input);
            partials.get(random.nextInt(parts)).add(input);
        }
        MetricAggregate merged = new MetricAggregate();
        for (MetricPartial p : partials) {
            merged.merge(roundTrip(p).aggregate());
        }

        assertThat(merged.impressions()).isEqualTo(whole.impressions());
        assertThat(merged.clicks()).isEqualTo(whole.clicks());
        assertThat(merged.outboundClicks()).isEqualTo(whole.outboundClicks());
        // Breakdowns: the same totals; which keys fall under "other" past the cap depends on arrival order.
        assertThat(total(merged.byRank().values()))
                .containsExactly(total(whole.byRank().values()));
        assertThat(total(merged.byMerchant().values()))
                .containsExactly(total(whole.byMerchant().values()));
        assertThat(merged.byRank()).hasSizeLessThanOrEqualTo(MetricAggregate.MAX_BREAKDOWN + 1);
        assertThat(merged.byMerchant()).hasSizeLessThanOrEqualTo(MetricAggregate.MAX_BREAKDOWN + 1);
        // A united sketch holds the same registers; its estimator may differ from the single sketch's a little.
        assertThat((double) merged.uniqueVisitors())
                .isCloseTo(
                        whole.uniqueVisitors(),
                        within(Math.max(0.5, 3 * MetricAggregate.RSE * whole.uniqueVisitors())));
        if (whole.uniqueVisitors() <= 100) {
            assertThat(merged.uniqueVisitors()).as("exact while small").isEqualTo(whole.uniqueVisitors());
        }
    }

    @Test
    void mergingKeepsTheBreakdownCapAndCountsTheRestAsOther() {
        MetricAggregate window = new MetricAggregate();
        for (int part = 0; part < 4; part++) {
            MetricPartial p = new MetricPartial(0);
            for (int rank = 1; rank <= 10; rank++) {
                p.add(new MetricInput(MetricInput.Kind.IMPRESSION, 0, "v", 0, part * 10 + rank, null));
            }
            window.merge(p.aggregate());
        }
        assertThat(window.byRank()).hasSize(MetricAggregate.MAX_BREAKDOWN + 1);
        assertThat(window.byRank().get(MetricAggregate.OTHER_RANK)[0]).isEqualTo(40 - MetricAggregate.MAX_BREAKDOWN);
        assertThat(window.impressions()).isEqualTo(40);
    }

    private static long[] total(Iterable<long[]> counts) {
        long[] sum = new long[3];
        counts.forEach(c -> {
            for (int i = 0; i < 3; i++) {
                sum[i] += c[i];
            }
        });
        return sum;
    }
}

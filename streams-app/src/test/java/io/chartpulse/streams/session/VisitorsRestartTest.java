package io.chartpulse.streams.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A processor that starts on a store holding open sessions (after a restart or a rebalance) still closes them. */
class VisitorsRestartTest {

    private static final Duration GAP = Duration.ofMinutes(30);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void sessionsFoundInTheStoreCloseWhenTheirTimeComes() {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        KeyValueStore<String, VisitorState> store = VisitorsSessionPropertyTest.sessionStore(context, T0);
        Random random = new Random(1);
        // What an earlier instance left: two visitors' open sessions, one ending at T0, one ten minutes later.
        store.put(
                "early",
                VisitorsSessionPropertyTest.open(SessionAggregation.start(
                        VisitorsSessionPropertyTest.event("early", T0, EventType.PAGE_VIEW, random))));
        store.put(
                "later",
                VisitorsSessionPropertyTest.open(SessionAggregation.start(VisitorsSessionPropertyTest.event(
                        "later", T0.plus(Duration.ofMinutes(10)), EventType.PAGE_VIEW, random))));

        Visitors processor = VisitorsSessionPropertyTest.sessions(GAP, GRACE, () -> {});
        processor.init(context);
        EnrichedEvent next =
                VisitorsSessionPropertyTest.event("new", T0.plus(GAP).plus(GRACE), EventType.PAGE_VIEW, random);
        processor.process(new Record<>("new", next, next.getDerivedAt().toEpochMilli()));

        assertThat(VisitorsSessionPropertyTest.forwardedSessions(context))
                .extracting(Session::getAnonymousId)
                .containsExactly("early");
        assertThat(store.get("early")).as("no open session and no ids left").isNull();
        assertThat(store.get("later").sessions()).hasSize(1);
    }

    @Test
    void theWatermarkSurvivesARestartSoALateEventStaysLate() {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        KeyValueStore<String, VisitorState> store = VisitorsSessionPropertyTest.sessionStore(context, T0);
        Random random = new Random(2);
        AtomicInteger late = new AtomicInteger();
        Visitors before = VisitorsSessionPropertyTest.sessions(GAP, GRACE, late::incrementAndGet);
        before.init(context);
        EnrichedEvent recent =
                VisitorsSessionPropertyTest.event("a", T0.plus(Duration.ofHours(2)), EventType.PAGE_VIEW, random);
        before.process(new Record<>("a", recent, recent.getDerivedAt().toEpochMilli()));
        before.close();

        Visitors after = VisitorsSessionPropertyTest.sessions(GAP, GRACE, late::incrementAndGet);
        after.init(context);
        EnrichedEvent old = VisitorsSessionPropertyTest.event("b", T0, EventType.PAGE_VIEW, random);
        after.process(new Record<>("b", old, old.getDerivedAt().toEpochMilli()));
        assertThat(late)
                .as("two hours behind the stored watermark: late as it was before the restart")
                .hasValue(1);
        assertThat(store.get("b").sessions())
                .as("left out of sessions; its id is kept")
                .isEmpty();
        assertThat(store.get("b").ids().size()).isEqualTo(1);
    }
}

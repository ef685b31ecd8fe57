package io.chartpulse.streams.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.Product;
import io.chartpulse.avro.Session;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.streams.TestStores;
import io.chartpulse.streams.dedupe.RecentIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Any reordering of the events of a session within the grace period gives the same sessions. */
class VisitorsSessionPropertyTest {

    private static final Duration GAP = Duration.ofMinutes(30);
    private static final Duration GRACE = Duration.ofMinutes(60);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final EventType[] TYPES = {
        EventType.PAGE_VIEW,
        EventType.PRODUCT_IMPRESSION,
        EventType.PRODUCT_CLICK,
        EventType.OUTBOUND_CLICK,
        EventType.FILTER_CHANGE,
        EventType.CUSTOM
    };

    @Property(tries = 100)
    void reorderingWithinGraceGivesTheSameSessions(
            @ForAll @IntRange(min = 1, max = 40) int events,
            @ForAll @IntRange(min = 1, max = 4) int visitors,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<EnrichedEvent> inOrder = new ArrayList<>();
        for (int v = 0; v < visitors; v++) {
            long t = T0.toEpochMilli();
            for (int i = 0; i < events; i++) {
                // Gaps up to 45 min: some split sessions, most do not.
                t += random.nextInt((int)
                        Duration.ofMinutes(random.nextInt(10) == 0 ? 45 : 20).toMillis());
                inOrder.add(event("anon-" + v, Instant.ofEpochMilli(t), TYPES[random.nextInt(TYPES.length)], random));
            }
        }
        inOrder.sort(Comparator.comparing(EnrichedEvent::getDerivedAt));
        List<EnrichedEvent> shuffled = new ArrayList<>(inOrder);
        // Reorder only within a window shorter than the grace: swap neighbours less than 10 minutes apart.
        for (int i = 1; i < shuffled.size(); i++) {
            if (random.nextBoolean()
                    && Duration.between(
                                            shuffled.get(i - 1).getDerivedAt(),
                                            shuffled.get(i).getDerivedAt())
                                    .compareTo(Duration.ofMinutes(10))
                            < 0) {
                Collections.swap(shuffled, i - 1, i);
            }
        }
        assertThat(normalized(run(shuffled))).isEqualTo(normalized(run(inOrder)));
    }

    private static List<Session> run(List<EnrichedEvent> events) {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        sessionStore(context, T0);
        Visitors processor = sessions(GAP, GRACE, () -> {});
        processor.init(context);
        for (EnrichedEvent e : events) {
            processor.process(
                    new Record<>(e.getAnonymousId(), e, e.getDerivedAt().toEpochMilli()));
        }
        // Then the partition goes quiet: the wall clock closes whatever is open.
        context.setCurrentSystemTimeMs(
                context.currentSystemTimeMs() + Duration.ofDays(1).toMillis());
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(context.currentSystemTimeMs()));
        return forwardedSessions(context);
    }

    /** The sessions a processor forwarded (it forwards the events it keeps too). */
    static List<Session> forwardedSessions(MockProcessorContext<String, SpecificRecord> context) {
        List<Session> sessions = new ArrayList<>();
        context.forwarded().forEach(f -> {
            if (f.record().value() instanceof Session s) {
                sessions.add(s);
            }
        });
        return sessions;
    }

    /** The visitor processor cutting sessions, with the default deduplication and no erasure table. */
    static Visitors sessions(Duration gap, Duration grace, Runnable onLate) {
        return new Visitors(
                Duration.ofHours(24),
                Visitors.DEFAULT_MAX_IDS,
                Duration.ofSeconds(10),
                () -> {},
                null,
                new Visitors.SessionRules(gap, grace, onLate));
    }

    /** A state holding these open sessions and no ids. */
    static VisitorState open(Session... sessions) {
        return new VisitorState(new RecentIds(), new ArrayList<>(List.of(sessions)));
    }

    /** A mock context at wall-clock time {@code now} holding an in-memory visitor store, which it returns. */
    static KeyValueStore<String, VisitorState> sessionStore(MockProcessorContext<?, ?> context, Instant now) {
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        KeyValueStore<String, VisitorState> store =
                TestStores.add(context, Visitors.STORE, Serdes.String(), VisitorState.serde());
        TestStores.add(context, Visitors.WATERMARK, Serdes.String(), Serdes.Long());
        return store;
    }

    private static List<Session> normalized(List<Session> sessions) {
        sessions.forEach(s -> s.getPages().sort(null));
        sessions.sort(Comparator.comparing(Session::getSessionId));
        return sessions;
    }

    static EnrichedEvent event(String anon, Instant at, EventType type, Random random) {
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        return EnrichedEvent.newBuilder(sample)
                .setEventId(UUID.randomUUID())
                .setAnonymousId(anon)
                .setEventType(type)
                .setDerivedAt(at)
                .setCreatedAt(at)
                .setSentAt(at)
                .setReceivedAt(at)
                .setIsBot(false)
                .setPage(Page.newBuilder(sample.getPage())
                        .setPath("/p" + random.nextInt(3))
                        .build())
                .setProduct(Product.newBuilder(sample.getProduct())
                        .setProductId("p-" + random.nextInt(5))
                        .build())
                .build();
    }
}

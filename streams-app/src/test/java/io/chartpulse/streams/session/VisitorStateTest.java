package io.chartpulse.streams.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Session;
import io.chartpulse.streams.dedupe.RecentIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The visitor store's values: ids and sessions survive the round trip; values of the sessions-only format read. */
class VisitorStateTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Serde<VisitorState> SERDE = VisitorState.serde();

    @Test
    void idsAndSessionsSurviveTheStore() {
        RecentIds ids = new RecentIds();
        List<UUID> remembered = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID id = UUID.randomUUID();
            remembered.add(id);
            // Out of order by up to a minute, as collectors' clocks differ.
            ids.remember(
                    id,
                    T0.toEpochMilli() + i * 1_000L - (i % 3) * 60_000L,
                    64,
                    Duration.ofHours(24).toMillis());
        }
        Random random = new Random(3);
        Session first =
                SessionAggregation.start(VisitorsSessionPropertyTest.event("v", T0, EventType.PAGE_VIEW, random));
        Session second = SessionAggregation.start(
                VisitorsSessionPropertyTest.event("v", T0.plus(Duration.ofHours(1)), EventType.PAGE_VIEW, random));
        VisitorState state = new VisitorState(ids, new ArrayList<>(List.of(first, second)));

        VisitorState read =
                SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", state));

        assertThat(read.earliestEnd())
                .as("from the header, nothing decoded")
                .isEqualTo(first.getEndAt().toEpochMilli());
        assertThat(read.ids().size()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(read.ids().most(i)).isEqualTo(remembered.get(i).getMostSignificantBits());
            assertThat(read.ids().least(i)).isEqualTo(remembered.get(i).getLeastSignificantBits());
            assertThat(read.ids().receivedAt(i)).isEqualTo(ids.receivedAt(i));
        }
        assertThat(read.sessions()).containsExactly(first, second);
        assertThat(read.ids().seen(remembered.get(4), ids.receivedAt(4) + 1, 10))
                .isTrue();
        assertThat(read.ids().seen(remembered.get(4), ids.receivedAt(4) + 11, 10))
                .isFalse();
    }

    @Test
    void aValueOfTheSessionsOnlyFormatReadsAsSessionsWithoutIds() {
        Session open = SessionAggregation.start(
                VisitorsSessionPropertyTest.event("old", T0, EventType.PAGE_VIEW, new Random(1)));
        byte[] before = OpenSessions.serde().serializer().serialize("t", List.of(open));

        VisitorState read = SERDE.deserializer().deserialize("t", before);

        assertThat(read.ids().size()).isZero();
        assertThat(read.sessions()).containsExactly(open);
        assertThat(read.earliestEnd()).isEqualTo(open.getEndAt().toEpochMilli());
        byte[] now = SERDE.serializer().serialize("t", read);
        assertThat(now[0]).as("written in the visitor format from then on").isEqualTo((byte) VisitorState.MARKER);
    }

    @Test
    void aCorruptValueIsASerializationErrorNamingTheStore() {
        VisitorState state = new VisitorState();
        state.ids().remember(UUID.randomUUID(), T0.toEpochMilli(), 64, 1_000);
        byte[] bytes = SERDE.serializer().serialize("t", state);
        byte[] cut = Arrays.copyOf(bytes, 25);
        assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("visitor store");
    }

    @Test
    void theIdsKeptAreTheLastMaxWithinTheHorizonOfTheNewest() {
        RecentIds ids = new RecentIds();
        UUID old = UUID.randomUUID();
        ids.remember(old, 0, 3, 100);
        UUID[] recent = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        ids.remember(recent[0], 50, 3, 100);
        assertThat(ids.seen(old, 0, 100)).isTrue();
        ids.remember(recent[1], 101, 3, 100);
        assertThat(ids.seen(old, 0, 100))
                .as("older than the horizon before the newest")
                .isFalse();
        ids.remember(recent[2], 102, 3, 100);
        UUID next = UUID.randomUUID();
        ids.remember(next, 103, 3, 100);
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.seen(recent[0], 50, 100)).as("pushed out by the bound").isFalse();
        assertThat(ids.seen(recent[1], 101, 100)).isTrue();
        assertThat(ids.seen(next, 103 + 100, 100)).isTrue();
        assertThat(ids.seen(next, 103 + 101, 100)).isFalse();
    }
}

package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.chartpulse.embedded.EmbeddedMongo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gaps (the due intervals without a completed run) and the newest completed one, through the official driver against mongo-java-server. */
class BatchRunsTest {

    @Test
    void theIntervalsWithoutACompletedRunAreGapsAndARerunKeepsOneRecord() {
        try (EmbeddedMongo server = EmbeddedMongo.start(0, null);
                MongoClient client = MongoClients.create(server.uri())) {
            BatchRuns runs = new BatchRuns(client.getDatabase("chartpulse"));
            Instant now = Instant.parse("2026-12-05T08:00:00Z");
            runs.completed("rollup", Interval.parse("2026-12-01"), "r1", now, Map.of("events", 10L));
            runs.completed("rollup", Interval.parse("2026-12-03"), "r2", now, Map.of("events", 12L));
            runs.completed("rollup", Interval.parse("2026-12-03"), "r3", now, Map.of("events", 12L));
            runs.completed("replay", Interval.parse("2026-12-02"), "r4", now, Map.of());
            runs.completed("rollup", Interval.parse("2026-12-02T05"), "r5", now, Map.of());
            assertThat(runs.gaps("rollup", Interval.Grain.DAY, Instant.parse("2026-11-30T00:00:00Z"), now))
                    .extracting(Interval::key)
                    .containsExactly("2026-11-30", "2026-12-02", "2026-12-04");
            assertThat(client.getDatabase("chartpulse")
                            .getCollection(BatchRuns.COLLECTION)
                            .countDocuments())
                    .isEqualTo(4);
            // What the batch SLA alert is pushed: the newest completed interval, whatever order they ran in (a gap
            // repair of an older day afterwards does not move it back).
            runs.completed("rollup", Interval.parse("2026-11-28"), "r6", now, Map.of());
            assertThat(runs.newest("rollup", Interval.Grain.DAY)).contains(Interval.parse("2026-12-03"));
            assertThat(runs.newest("rollup", Interval.Grain.HOUR)).contains(Interval.parse("2026-12-02T05"));
            assertThat(runs.newest("reconcile", Interval.Grain.DAY)).isEmpty();
        }
    }
}

package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.batch.MongoIndexes.Outcome;
import io.chartpulse.embedded.EmbeddedMongo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The retention TTL indexes as MongoDB lists them back (official driver, mongo-java-server): set, kept, dropped. */
class MongoIndexesTest {

    private static Long expireAfter(MongoDatabase db, String collection) {
        for (Document d : db.getCollection(collection).listIndexes()) {
            if (MongoIndexes.EXPIRE.equals(d.getString("name"))) {
                Number seconds = d.get("expireAfterSeconds", Number.class);
                return seconds == null ? -1L : seconds.longValue();
            }
        }
        return null;
    }

    private static Map<String, Outcome> byName(Map<MongoIndexes.Index, Outcome> outcomes) {
        return outcomes.entrySet().stream()
                .filter(e -> e.getKey().name().equals(MongoIndexes.EXPIRE))
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().collection(), Map.Entry::getValue));
    }

    @Test
    void theRetentionIsSetThenLeftAloneThenDroppedWhenTurnedOff() {
        try (EmbeddedMongo server = EmbeddedMongo.start(0, null);
                MongoClient client = MongoClients.create(server.uri())) {
            MongoDatabase db = client.getDatabase("chartpulse");
            List<MongoIndexes.Index> live = MongoIndexes.LIVE;

            assertThat(byName(MongoIndexes.ensure(db, live, Duration.ofDays(30))))
                    .containsOnly(Map.entry("events", Outcome.CREATED), Map.entry("sessions", Outcome.CREATED));
            assertThat(expireAfter(db, "events")).isEqualTo(Duration.ofDays(30).toSeconds());
            assertThat(expireAfter(db, "sessions"))
                    .isEqualTo(Duration.ofDays(30).toSeconds());

            assertThat(byName(MongoIndexes.ensure(db, live, Duration.ofDays(30))))
                    .containsOnly(Map.entry("events", Outcome.EXISTS), Map.entry("sessions", Outcome.EXISTS));
            // A replay or a rollup ensures its indexes without a say on retention: the TTL index stays.
            MongoIndexes.ensure(db, MongoIndexes.of("events", "sessions"));
            assertThat(expireAfter(db, "events")).isEqualTo(Duration.ofDays(30).toSeconds());

            // A changed retention is a collMod, which the stand-in does not implement (MongoDB has since 2.2): that
            // path is not exercised here.

            assertThat(byName(MongoIndexes.ensure(db, live, null)))
                    .containsOnly(Map.entry("events", Outcome.DROPPED), Map.entry("sessions", Outcome.DROPPED));
            assertThat(expireAfter(db, "events")).isNull();
            assertThat(expireAfter(db, "sessions")).isNull();
            // The other indexes were never touched by the retention.
            assertThat(MongoIndexes.ensure(db, live, null).values()).containsOnly(Outcome.EXISTS);
        }
    }
}

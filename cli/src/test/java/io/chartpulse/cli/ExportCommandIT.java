package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.schemas.SampleRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code chartpulse export}: one visitor's records from MongoDB (through the official driver, against
 * mongo-java-server) and from the lake (S3Proxy, a SQLite catalog, rows written with Iceberg's writer), and nobody
 * else's.
 */
class ExportCommandIT {

    @Test
    void aVisitorsEventsAndSessionsComeOutOfMongoDbAndTheLakeAndNobodyElses() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "export-it", "run-" + System.nanoTime()));
        LakeQueryIT.TestLake lake = LakeQueryIT.TestLake.start(dir);
        try (EmbeddedMongo server = EmbeddedMongo.start(0, null);
                MongoClient client = MongoClients.create(server.uri())) {
            MongoDatabase db = client.getDatabase("chartpulse");
            for (int i = 0; i < 6; i++) {
                String visitor = i % 2 == 0 ? "visitor-a" : "visitor-b";
                db.getCollection("events")
                        .insertOne(new Document("event_id", "e-" + i)
                                .append("anonymous_id", visitor)
                                .append("user_id", i % 2 == 0 ? "u-a" : null)
                                .append("derived_at", new Date(1_800_000_000_000L + i)));
            }
            db.getCollection("sessions")
                    .insertOne(new Document("session_id", "s-a")
                            .append("anonymous_id", "visitor-a")
                            .append("start_at", new Date(1_800_000_000_000L)));
            db.getCollection("sessions")
                    .insertOne(new Document("session_id", "s-b")
                            .append("anonymous_id", "visitor-b")
                            .append("start_at", new Date(1_800_000_000_000L)));
            List<EnrichedEvent> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                events.add(EnrichedEvent.newBuilder(SampleRecords.enrichedEvent())
                        .setEventId(new UUID(9, i))
                        .setAnonymousId(i < 3 ? "visitor-a" : "visitor-b")
                        .build());
            }
            lake.append(events);

            Path out = dir.resolve("visitor-a.jsonl");
            LakeQueryIT.Run run = LakeQueryIT.run(
                    "export",
                    "--anonymous-id",
                    "visitor-a",
                    "--mongo-uri",
                    server.uri(),
                    "--lake",
                    "--connector-config",
                    lake.connectorConfig().toString(),
                    "-o",
                    out.toString());

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err())
                    .contains("exported anonymous_id=visitor-a")
                    .contains("3 from mongodb events", "1 from mongodb sessions", "3 from lake enriched_events");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(out)) {
                lines.add(json.readTree(line));
            }
            assertThat(lines).hasSize(7);
            assertThat(lines)
                    .allSatisfy(l -> assertThat(
                                    l.path("record").path("anonymous_id").asText())
                            .isEqualTo("visitor-a"));
            assertThat(lines)
                    .extracting(l -> l.path("store").asText() + " "
                            + l.path("collection").asText())
                    .containsExactly(
                            "mongodb events",
                            "mongodb events",
                            "mongodb events",
                            "mongodb sessions",
                            "lake enriched_events",
                            "lake enriched_events",
                            "lake enriched_events");
            // MongoDB's own id is left out; times are ISO-8601; the lake's rows keep their nested records.
            assertThat(lines.get(0).path("record").has("_id")).isFalse();
            assertThat(lines.get(0)
                            .path("record")
                            .path("derived_at")
                            .path("$date")
                            .asText())
                    .startsWith("2027-01-15T");
            assertThat(lines.get(4).path("record").path("event_id").asText()).startsWith("00000000-0000-0009-");
            assertThat(lines.get(4)
                            .path("record")
                            .path("chart")
                            .path("chart_id")
                            .asText())
                    .isEqualTo(SampleRecords.enrichedEvent().getChart().getChartId());

            LakeQueryIT.Run byUser = LakeQueryIT.run("export", "--user-id", "u-a", "--mongo-uri", server.uri());
            assertThat(byUser.exit()).as(byUser.err()).isZero();
            assertThat(byUser.out().lines().count()).isEqualTo(3);

            LakeQueryIT.Run both = LakeQueryIT.run(
                    "export", "--user-id", "u-a", "--anonymous-id", "visitor-a", "--mongo-uri", server.uri());
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.err()).contains("mutually exclusive");
        } finally {
            lake.s3().close();
        }
    }
}

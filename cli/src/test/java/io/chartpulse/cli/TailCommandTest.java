package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.kafka.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code chartpulse tail} against a real MongoDB wire server: one line per document, a hint when there is none. */
class TailCommandTest {

    static EmbeddedMongo mongo;
    static MongoClient client;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.start(FreePorts.pick(), null);
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    static Run tail(String database, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = ChartPulseCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "tail";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--uri=" + mongo.uri();
        all[args.length + 2] = "--database=" + database;
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    @Test
    void anEmptyCollectionSaysWhyOnStderrAndExitsZero() {
        Run sessions = tail("young", "sessions");
        assertThat(sessions.exit()).isZero();
        assertThat(sessions.out()).isEmpty();
        assertThat(sessions.err()).contains("No sessions yet").contains("30 minutes without an event");
        assertThat(tail("young", "events").err()).contains("./chartpulse loadgen");
        assertThat(tail("young", "products").err()).contains("No product metrics yet");
    }

    @Test
    void chartAndProductMetricsComeFromTheirOwnCollectionsNewestLast() {
        MongoDatabase db = client.getDatabase("busy");
        Instant minute = Instant.parse("2026-12-03T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            db.getCollection("chart_metrics")
                    .insertOne(new Document("chart_id", "laptops-2026")
                            .append("product_id", null)
                            .append("window_start", Date.from(minute.plusSeconds(60L * i)))
                            .append("impressions", 10L + i)
                            .append("clicks", 2L)
                            .append("outbound_clicks", 1L)
                            .append("ctr", 0.2)
                            .append("unique_visitors", 4L));
        }
        db.getCollection("product_metrics")
                .insertOne(new Document("chart_id", "laptops-2026")
                        .append("product_id", "p-02")
                        .append("window_start", Date.from(minute))
                        .append("impressions", 5L)
                        .append("clicks", 1L)
                        .append("outbound_clicks", 1L)
                        .append("ctr", 0.2)
                        .append("unique_visitors", 3L));

        Run charts = tail("busy", "metrics", "-n", "2");
        assertThat(charts.exit()).as(charts.err()).isZero();
        assertThat(charts.err()).isEmpty();
        assertThat(charts.out().lines())
                .hasSize(2)
                .satisfiesExactly(
                        l -> assertThat(l)
                                .startsWith("2026-12-03T10:01:00Z")
                                .contains("(all)")
                                .contains("impressions   11"),
                        l -> assertThat(l).startsWith("2026-12-03T10:02:00Z").contains("impressions   12"));
        Run products = tail("busy", "products");
        assertThat(products.out().lines())
                .singleElement()
                .satisfies(l ->
                        assertThat(l).contains("p-02").contains("deals   1").contains("CTR  20.0%"));
    }
}

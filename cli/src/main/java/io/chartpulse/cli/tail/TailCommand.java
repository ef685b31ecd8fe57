package io.chartpulse.cli.tail;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Sorts;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.common.MongoOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse tail events|sessions|metrics|products}: the latest results in MongoDB, one readable line each. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Print the latest enriched events, sessions, chart metrics or product metrics from MongoDB, one"
                + " line each (a hint on stderr when there are none yet, and why).",
        footer = {
            "%nExamples:",
            "  chartpulse tail events",
            "  chartpulse tail sessions -n 5",
            "  chartpulse tail metrics --follow",
            "  chartpulse tail products -n 20"
        })
public final class TailCommand implements Callable<Integer> {

    /** What can be tailed: its collection, the time it is ordered by, and what to say when there is none yet. */
    enum What {
        events(
                "events",
                "derived_at",
                "No events yet: open the demo page (./chartpulse dev prints its URL) or run ./chartpulse loadgen."),
        sessions(
                "sessions",
                "end_at",
                "No sessions yet: a session is written when it closes, after 30 minutes without an event from its"
                        + " visitor (the streams app's session gap), so a young stack has none; tail events meanwhile."),
        metrics(
                "chart_metrics",
                "window_start",
                "No chart metrics yet: a minute's metrics are written once the minute and its grace (one more minute)"
                        + " have passed."),
        products(
                "product_metrics",
                "window_start",
                "No product metrics yet: a minute's metrics are written once the minute and its grace (one more"
                        + " minute) have passed, for the products that had impressions or clicks.");

        final String collection;
        final String time;
        final String none;

        What(String collection, String time, String none) {
            this.collection = collection;
            this.time = time;
            this.none = none;
        }
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "events|sessions|metrics|products",
            description = "What to show: MongoDB events, sessions, chart_metrics (a chart's minutes) or"
                    + " product_metrics (a chart's products' minutes).")
    What what;

    @Option(names = "-n", defaultValue = "10", description = "How many, newest last (default ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new ones every 2 s until Ctrl-C.")
    boolean follow;

    @Mixin
    MongoOptions mongo;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            String collection = what.collection;
            String time = what.time;
            boolean hinted = false;
            Object last = null;
            do {
                var query = client.getDatabase(mongo.database)
                        .getCollection(collection)
                        .find(last == null ? new Document() : new Document(time, new Document("$gt", last)))
                        .sort(Sorts.descending(time))
                        .limit(count);
                List<Document> docs = query.into(new ArrayList<>());
                Collections.reverse(docs);
                if (docs.isEmpty() && last == null && !hinted) {
                    spec.commandLine().getErr().println(what.none);
                    spec.commandLine().getErr().flush();
                    hinted = true;
                }
                for (Document d : docs) {
                    out.println(line(d));
                    last = d.get(time);
                }
                out.flush();
                if (follow) {
                    Thread.sleep(2000);
                }
            } while (follow);
        } catch (MongoTimeoutException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE, "Cannot reach MongoDB at " + mongo.uri + " (is ./chartpulse dev running?)");
        }
        return ExitCode.OK;
    }

    private String line(Document d) {
        return switch (what) {
            case events ->
                String.format(
                        "%s  %-18s %-14s %-6s rank %-3s %s%s",
                        time(d.get("derived_at")),
                        d.getString("event_type"),
                        sub(d, "chart", "chart_id"),
                        sub(d, "product", "product_id"),
                        sub(d, "product", "rank"),
                        d.getString("anonymous_id"),
                        Boolean.TRUE.equals(d.getBoolean("is_bot")) ? "  bot (" + d.getString("bot_reason") + ")" : "");
            case sessions ->
                String.format(
                        "%s  %s  %6.1f min  %3d events  %d clicks %d deals  %s%s",
                        time(d.get("start_at")),
                        d.getString("anonymous_id"),
                        number(d.get("duration_ms")) / 60000.0,
                        (long) number(d.get("event_count")),
                        (long) number(d.get("product_clicks")),
                        (long) number(d.get("outbound_clicks")),
                        d.get("products_clicked"),
                        Boolean.TRUE.equals(d.getBoolean("is_bounce")) ? "  bounce" : "");
            case metrics, products ->
                String.format(
                        "%s  %-14s %-6s impressions %4d  clicks %3d  deals %3d  CTR %5.1f%%  visitors %d",
                        time(d.get("window_start")),
                        d.getString("chart_id"),
                        d.getString("product_id") == null ? "(all)" : d.getString("product_id"),
                        (long) number(d.get("impressions")),
                        (long) number(d.get("clicks")),
                        (long) number(d.get("outbound_clicks")),
                        100 * number(d.get("ctr")),
                        (long) number(d.get("unique_visitors")));
        };
    }

    private static String sub(Document d, String record, String field) {
        Document inner = d.get(record, Document.class);
        return inner == null || inner.get(field) == null ? "-" : String.valueOf(inner.get(field));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static String time(Object value) {
        return value instanceof Date date ? Instant.ofEpochMilli(date.getTime()).toString() : String.valueOf(value);
    }
}

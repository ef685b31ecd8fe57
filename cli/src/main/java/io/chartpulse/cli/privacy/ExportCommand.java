package io.chartpulse.cli.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.common.MongoOptions;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.lake.LakeTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chartpulse export}: what ChartPulse holds about one visitor, as JSON Lines, for a data subject's access
 * request — the enriched events and sessions in MongoDB and, with {@code --lake}, the rows of the lake's
 * {@code enriched_events} and {@code sessions}. The rollups hold no visitor ids (counts and sketches only), so there
 * is nothing of a visitor in them to export.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write everything ChartPulse stores about one visitor (MongoDB events and sessions; with --lake"
                + " also the lake's enriched_events and sessions rows) as JSON Lines, one record a line:"
                + " {\"store\", \"collection\", \"record\"}. For a data subject's access request; see PRIVACY.md.",
        footer = {
            "%nExamples:",
            "  chartpulse export --anonymous-id 5b1f…-visitor -o exports/visitor.jsonl",
            "  chartpulse export --user-id u-1234 --lake --dev"
        })
public final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    /** The MongoDB collections that hold a visitor's records, each with the time it is ordered by. */
    static final Map<String, String> COLLECTIONS = Map.of("events", "derived_at", "sessions", "start_at");

    /** Who: exactly one of the two identifiers. */
    static final class Who {
        @Option(names = "--anonymous-id", required = true, description = "The visitor's anonymous id (the record key).")
        String anonymousId;

        @Option(names = "--user-id", required = true, description = "The publisher's user id, set by identify().")
        String userId;

        String field() {
            return anonymousId != null ? "anonymous_id" : "user_id";
        }

        String value() {
            return anonymousId != null ? anonymousId : userId;
        }
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(
            names = {"-o", "--output"},
            description = "Write to this file instead of standard output.")
    Path output;

    @Option(names = "--lake", description = "Also read the lake's enriched_events and sessions (a scan of each table).")
    boolean lake;

    @Mixin
    MongoOptions mongo;

    @Mixin
    LakeCommand.CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PrintWriter out =
                output == null ? null : new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
            PrintWriter to = out != null ? out : spec.commandLine().getOut();
            exportMongo(to, counts);
            if (lake) {
                exportLake(to, counts);
            }
            to.flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                "exported %s=%s: %s%s%n",
                who.field(),
                who.value(),
                String.join(
                        ", ",
                        counts.entrySet().stream()
                                .map(e -> e.getValue() + " from " + e.getKey())
                                .toList()),
                output == null ? "" : " → " + output);
        err.flush();
        return ExitCode.OK;
    }

    private void exportMongo(PrintWriter to, Map<String, Long> counts) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            MongoDatabase db = client.getDatabase(mongo.database);
            for (String collection : List.of("events", "sessions")) {
                long n = 0;
                for (Document d : db.getCollection(collection)
                        .find(Filters.eq(who.field(), who.value()))
                        .sort(Sorts.ascending(COLLECTIONS.get(collection)))) {
                    d.remove("_id");
                    line(to, "mongodb", collection, JSON.readTree(d.toJson(RELAXED)));
                    n++;
                }
                counts.put("mongodb " + collection, n);
            }
        } catch (MongoTimeoutException e) {
            throw new CliException(ExitCode.UNREACHABLE, "Cannot reach MongoDB at " + mongo.uri);
        } catch (MongoException e) {
            throw new CliException(ExitCode.REMOTE_ERROR, "MongoDB refused the export: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void exportLake(PrintWriter to, Map<String, Long> counts) throws IOException {
        Catalog lakeCatalog = LakeCommand.openCatalog(catalog.connectorConfig, catalog.variables());
        try {
            for (LakeTable table : List.of(LakeTable.ENRICHED_EVENTS, LakeTable.SESSIONS)) {
                Table t = lakeCatalog.loadTable(table.identifier());
                long n = 0;
                try (CloseableIterable<Record> rows = IcebergGenerics.read(t)
                        .where(Expressions.equal(who.field(), who.value()))
                        .build()) {
                    for (Record row : rows) {
                        line(to, "lake", table.tableName(), json(row));
                        n++;
                    }
                }
                counts.put("lake " + table.tableName(), n);
            }
        } finally {
            if (lakeCatalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing a catalog that was only read
                }
            }
        }
    }

    private static void line(PrintWriter to, String store, String collection, JsonNode record) {
        ObjectNode line = JSON.createObjectNode();
        line.put("store", store).put("collection", collection).set("record", record);
        to.println(line.toString());
    }

    /** An Iceberg row as JSON: nested rows as objects, lists and maps as such, times and ids as ISO-8601 text. */
    static JsonNode json(Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof Record record) {
            ObjectNode node = JSON.createObjectNode();
            for (Types.NestedField field : record.struct().fields()) {
                node.set(field.name(), json(record.getField(field.name())));
            }
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = JSON.createArrayNode();
            list.forEach(v -> node.add(json(v)));
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = JSON.createObjectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), json(v)));
            return node;
        }
        if (value instanceof Temporal || value instanceof UUID || value instanceof CharSequence) {
            return JSON.getNodeFactory().textNode(value.toString());
        }
        return JSON.valueToTree(value);
    }
}

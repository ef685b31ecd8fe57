package io.chartpulse.batch;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * Writes an interval's rollup rows into MongoDB, replacing what the interval held. Each row's {@code _id} is its
 * interval and key columns ({@code 2026-12-01|chart-1|…}), so a rerun upserts the same documents; documents of the
 * interval that the run did not write (cells that no longer exist, say after a replay removed duplicates) are
 * deleted last, by {@code run_id}. A run that dies half way leaves a mix of old and new documents, which the next
 * run of the interval replaces: the final state depends on the input only, never on how many runs it took.
 * Documents are flat (one per grain), as BI tools such as Metabase read them best.
 */
public final class MongoOutput {

    private static final int BATCH = 1_000;

    private final MongoDatabase database;

    public MongoOutput(MongoDatabase database) {
        this.database = database;
    }

    /** Creates the indexes of every rollup collection (safe to run again). */
    public void ensureIndexes() {
        MongoIndexes.ensure(database, MongoIndexes.ROLLUPS);
    }

    /** Replaces the documents of {@code interval} in {@code table}'s collection by {@code rows}; returns how many. */
    public long replace(RollupTable table, Interval interval, String runId, List<Map<String, Object>> rows) {
        MongoCollection<Document> c = database.getCollection(table.tableName(interval.grain()));
        List<WriteModel<Document>> batch = new ArrayList<>(BATCH);
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        for (Map<String, Object> row : rows) {
            Document doc = document(table, row);
            batch.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, upsert));
            if (batch.size() == BATCH) {
                c.bulkWrite(batch, new BulkWriteOptions().ordered(false));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            c.bulkWrite(batch, new BulkWriteOptions().ordered(false));
        }
        c.deleteMany(Filters.and(Filters.eq("interval", interval.key()), Filters.ne("run_id", runId)));
        return rows.size();
    }

    /** The document of one row: its {@code _id} first, times as dates, sketches as binary. */
    static Document document(RollupTable table, Map<String, Object> row) {
        StringBuilder id = new StringBuilder((String) row.get("interval"));
        for (String key : table.keyColumns()) {
            id.append('|').append(row.get(key) == null ? "" : row.get(key));
        }
        Document doc = new Document("_id", id.toString());
        row.forEach((k, v) -> doc.append(k, bson(v)));
        return doc;
    }

    private static Object bson(Object v) {
        if (v instanceof Instant t) {
            return Date.from(t);
        }
        if (v instanceof byte[] b) {
            return new Binary(b);
        }
        if (v instanceof Map<?, ?> m) {
            Document d = new Document();
            m.forEach((k, x) -> d.append(k.toString(), bson(x)));
            return d;
        }
        return v;
    }
}

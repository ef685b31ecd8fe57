package io.chartpulse.batch;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.lake.LakeCatalog;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/** A rollup in a JVM of its own, for RollupCrashIT to kill: {@code RollupChild <interval>}, settings from the environment. */
public final class RollupChild {

    private RollupChild() {}

    public static void main(String[] args) {
        Map<String, String> config = BatchStack.connectorConfig();
        Catalog catalog = LakeCatalog.open(
                LakeCatalog.catalogName(config), LakeCatalog.catalogProperties(config, System::getenv));
        try (MongoClient client = MongoClients.create(System.getenv("CHARTPULSE_MONGO_URI"))) {
            MongoDatabase db = client.getDatabase("chartpulse");
            RollupJob.over(catalog, db).run(Interval.parse(args[0]), List.of(RollupJob.Target.values()));
        }
    }
}

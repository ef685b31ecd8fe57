package io.chartpulse.batch;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.streams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/** A replay in a JVM of its own, for ReplayIT to kill: {@code ReplayChild <day>}, settings from the environment. */
public final class ReplayChild {

    private ReplayChild() {}

    public static void main(String[] args) {
        Map<String, String> config = BatchStack.connectorConfig();
        Catalog catalog = LakeCatalog.open(
                LakeCatalog.catalogName(config), LakeCatalog.catalogProperties(config, System::getenv));
        try (MongoClient client = MongoClients.create(System.getenv("CHARTPULSE_MONGO_URI"));
                RawArchive archive = RawArchive.open(LakeCatalog.resolveAll(
                        BatchStack.connectorConfig(Path.of("..", "connect-config", "connectors", "s3-raw-events.json")),
                        System::getenv))) {
            var db = client.getDatabase(System.getenv("CHARTPULSE_MONGO_DATABASE"));
            new Replay(
                            archive,
                            TopologySettings.defaults(),
                            Map.of("schema.registry.url", System.getenv("CHARTPULSE_REGISTRY_URL")),
                            Map.of(),
                            db,
                            catalog,
                            new BatchRuns(db),
                            Clock.systemUTC(),
                            (day, read, expected) -> {})
                    .run(Interval.parse(args[0]), List.of(RollupJob.Target.values()));
        }
    }
}

package io.chartpulse.cli.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.batch.MongoIndexes;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.common.MongoOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse mongo …}: preparing MongoDB for the sinks, dashboards and BI. */
@Command(
        name = "mongo",
        mixinStandardHelpOptions = true,
        description = "Prepare MongoDB for ChartPulse.",
        subcommands = MongoCommand.Init.class,
        footer = {
            "%nExample:",
            "  chartpulse mongo init --mongo-uri mongodb://127.0.0.1:27017 --mongo-database chartpulse"
        })
public final class MongoCommand {

    /** Creates the indexes that are missing; reports each as created or existing. */
    public static void ensureIndexes(MongoDatabase db, PrintWriter out) {
        MongoIndexes.ensure(db, MongoIndexes.ALL)
                .forEach((index, created) -> out.printf(
                        created ? "created %s.%s%s (%s)%n" : "exists  %s.%s%n",
                        index.collection(),
                        index.name(),
                        index.unique() ? " unique" : "",
                        index.why()));
        out.flush();
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Create the collections' indexes "
                        + "(upsert keys, dashboard and BI queries). Safe to run again: existing indexes are left alone."
            },
            footer = {
                "%nExample:",
                "  chartpulse mongo init --mongo-uri mongodb://127.0.0.1:27017 --mongo-database chartpulse"
            })
    static final class Init implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        MongoOptions mongo;

        @Option(
                names = "--timeout",
                defaultValue = "10",
                description = "Seconds to wait for the server " + "(default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            ConnectionString connection;
            try {
                connection = new ConnectionString(mongo.uri);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--mongo-uri: " + e.getMessage());
            }
            MongoClientSettings settings = MongoClientSettings.builder()
                    .applyConnectionString(connection)
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutSeconds, TimeUnit.SECONDS))
                    .build();
            try (MongoClient client = MongoClients.create(settings)) {
                ensureIndexes(
                        client.getDatabase(mongo.database), spec.commandLine().getOut());
            } catch (MongoTimeoutException e) {
                throw new CliException(
                        ExitCode.UNREACHABLE,
                        "Cannot reach MongoDB at " + mongo.uri + " within " + timeoutSeconds + " s");
            } catch (MongoException e) {
                throw new CliException(ExitCode.REMOTE_ERROR, "MongoDB refused: " + e.getMessage());
            }
            return ExitCode.OK;
        }
    }
}

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
import java.time.Duration;
import java.time.format.DateTimeParseException;
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

    /**
     * Creates the indexes that are missing and sets the retention of events and sessions ({@code retention}, null
     * to keep them); reports each index as created, existing, changed or dropped.
     */
    public static void ensureIndexes(MongoDatabase db, Duration retention, PrintWriter out) {
        MongoIndexes.ensure(db, MongoIndexes.ALL, retention).forEach((index, outcome) -> {
            String name = index.collection() + "." + index.name();
            switch (outcome) {
                case CREATED ->
                    out.printf(
                            "created %s%s (%s)%n",
                            name,
                            index.unique() ? " unique" : "",
                            index.expireAfter() == null ? index.why() : retentionText(index.expireAfter()));
                case EXISTS -> out.printf("exists  %s%n", name);
                case CHANGED -> out.printf("changed %s (%s)%n", name, retentionText(index.expireAfter()));
                case DROPPED -> out.printf("dropped %s (retention off: kept until deleted)%n", name);
            }
        });
        out.flush();
    }

    private static String retentionText(Duration keep) {
        return "retention: deleted " + keep.toDays() + " days after their time";
    }

    /** {@code --retention}: an ISO-8601 duration, or {@code none} to keep events and sessions until deleted. */
    static Duration retention(String text) {
        if (text.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new CliException(ExitCode.USAGE, "--retention must be positive, or none; got " + text);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new CliException(
                    ExitCode.USAGE, "--retention must be an ISO-8601 duration such as P395D, or none; got " + text);
        }
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Create the collections' indexes (upsert keys, dashboard and BI queries) and set how long events and"
                        + " sessions are kept (--retention). Safe to run again: existing indexes are left alone, a"
                        + " changed retention is changed in place."
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
                names = "--retention",
                defaultValue = "${env:CHARTPULSE_MONGO_RETENTION:-P395D}",
                description = "How long events and sessions are kept (a TTL index on their time), ISO-8601, or none to"
                        + " keep them until deleted (env CHARTPULSE_MONGO_RETENTION; default ${DEFAULT-VALUE}: 13"
                        + " months). Rollups and metrics hold no visitor data and are not expired.")
        String retention;

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
            Duration keep = retention(retention);
            MongoClientSettings settings = MongoClientSettings.builder()
                    .applyConnectionString(connection)
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutSeconds, TimeUnit.SECONDS))
                    .build();
            try (MongoClient client = MongoClients.create(settings)) {
                ensureIndexes(
                        client.getDatabase(mongo.database),
                        keep,
                        spec.commandLine().getOut());
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

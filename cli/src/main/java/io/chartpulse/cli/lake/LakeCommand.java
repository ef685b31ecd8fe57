package io.chartpulse.cli.lake;

import io.chartpulse.cli.ChartPulseCli;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.connectors.ConnectorFile;
import io.chartpulse.cli.dev.StackVariables;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.lake.LakeMaintenance;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeTables;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse lake …}: the processed lake's Iceberg tables — create, list, maintain. */
@Command(
        name = "lake",
        mixinStandardHelpOptions = true,
        description = "The processed lake: Iceberg tables of enriched events, sessions and minute metrics.",
        subcommands = {
            LakeCommand.Init.class,
            LakeCommand.Tables.class,
            LakeCommand.Query.class,
            LakeCommand.Maintain.class
        },
        footer = {
            "%nThe catalog settings are those of the Iceberg sink connectors (the iceberg.catalog.* keys of"
                    + " connect-config/connectors/iceberg-*.json), with ${env:NAME} read from this environment.",
            "%nExample:",
            "  chartpulse lake init && chartpulse lake tables",
            "  chartpulse lake query --dev \"SELECT event_type, count(*) FROM enriched_events GROUP BY 1\""
        })
public final class LakeCommand {

    /** The connector config whose catalog keys every lake command uses, relative to the repository. */
    public static final String DEFAULT_CONNECTOR_CONFIG = "connect-config/connectors/iceberg-enriched-events.json";

    /** Where the catalog settings come from. */
    public static final class CatalogOptions {
        @Option(
                names = "--connector-config",
                defaultValue = "${env:CHARTPULSE_LAKE_CONNECTOR_CONFIG:-" + DEFAULT_CONNECTOR_CONFIG + "}",
                description = "Iceberg sink connector config to take the catalog settings from "
                        + "(env CHARTPULSE_LAKE_CONNECTOR_CONFIG; default ${DEFAULT-VALUE}).")
        public Path connectorConfig;

        @Option(
                names = "--dev",
                description =
                        "The lake of ./chartpulse dev: its SQLite catalog under --data-dir and its S3 stand-in on "
                                + "127.0.0.1:9000, with no variables to set.")
        public boolean dev;

        @Option(
                names = "--data-dir",
                defaultValue = "${env:CHARTPULSE_HOME:-.}/.chartpulse",
                description = "With --dev: the dev stack's data directory (default ${DEFAULT-VALUE}).")
        public Path dataDir;

        /** Where ${env:…} is resolved: the dev stack's values first with --dev, then this process's environment. */
        public UnaryOperator<String> variables() {
            if (!dev) {
                return System::getenv;
            }
            Map<String, String> devValues = StackVariables.dev(dataDir);
            return name -> devValues.containsKey(name) ? devValues.get(name) : System.getenv(name);
        }
    }

    /**
     * Opens the catalog of {@code connectorConfig}, its {@code ${env:…}} resolved with {@code env}, once its storage
     * has answered one request: with the storage down a command fails in a second with {@link
     * ChartPulseCli#UNREACHABLE}, naming the endpoint, instead of sitting through the sinks' retry budget.
     */
    public static Catalog openCatalog(Path connectorConfig, UnaryOperator<String> env) {
        Map<String, String> config = ConnectorFile.read(connectorConfig).config();
        try {
            Map<String, String> properties = LakeCatalog.catalogProperties(config, env);
            LakeCatalog.checkStorageAnswers(properties);
            return LakeCatalog.open(LakeCatalog.catalogName(config), properties);
        } catch (LakeCatalog.StorageUnreachable e) {
            throw new CliException(ExitCode.UNREACHABLE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, connectorConfig + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE, "Cannot open the lake's catalog (" + connectorConfig + "): " + e);
        }
    }

    /** Creates the missing tables of the catalog of {@code connectorConfig}. */
    public static List<LakeTables.Outcome> ensureTables(Path connectorConfig, UnaryOperator<String> env) {
        Catalog catalog = openCatalog(connectorConfig, env);
        try {
            return LakeTables.ensure(catalog);
        } finally {
            close(catalog);
        }
    }

    /** Closes a catalog that holds resources (a JDBC pool, a client), quietly: it is done with. */
    public static void close(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a catalog's connection pool; nothing to tell the user
            }
        }
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create the namespace and the tables that are missing, from ChartPulse's table definitions "
                    + "(schema from the Avro contracts, day partitions, Parquet + zstd). Safe to run again.",
            footer = {"%nExample:", "  chartpulse lake init"})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CatalogOptions catalog;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (LakeTables.Outcome o : ensureTables(catalog.connectorConfig, catalog.variables())) {
                out.printf(
                        "%-8s %s  %s%n",
                        o.created() ? "created" : o.specEvolved() ? "evolved" : "exists",
                        o.table().identifier(),
                        o.location() + (o.specEvolved() ? "  (now partitioned by its type column too)" : ""));
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(
            name = "tables",
            mixinStandardHelpOptions = true,
            description = "List the lake's tables: rows, data files and bytes of the current snapshot, snapshots kept, "
                    + "and when the last one was committed. Exit code 1 when a table is missing.",
            footer = {"%nExamples:", "  chartpulse lake tables", "  chartpulse lake tables --dev"})
    static final class Tables implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CatalogOptions catalog;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Catalog lake = openCatalog(catalog.connectorConfig, catalog.variables());
            int missing = 0;
            try {
                out.printf(
                        "%-34s %10s %7s %12s %9s  %s%n", "table", "rows", "files", "bytes", "snapshots", "last commit");
                for (LakeTable table : LakeTable.values()) {
                    if (!lake.tableExists(table.identifier())) {
                        out.printf("%-34s missing: run chartpulse lake init%n", table.identifier());
                        missing++;
                        continue;
                    }
                    Table t = lake.loadTable(table.identifier());
                    Snapshot current = t.currentSnapshot();
                    int snapshots = 0;
                    for (Snapshot ignored : t.snapshots()) {
                        snapshots++;
                    }
                    Map<String, String> summary = current == null ? Map.of() : current.summary();
                    out.printf(
                            "%-34s %10s %7s %12s %9d  %s%n",
                            table.identifier(),
                            summary.getOrDefault("total-records", "0"),
                            summary.getOrDefault("total-data-files", "0"),
                            summary.getOrDefault("total-files-size", "0"),
                            snapshots,
                            current == null ? "never" : Instant.ofEpochMilli(current.timestampMillis()));
                }
            } finally {
                close(lake);
            }
            out.flush();
            return missing == 0 ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    @Command(
            name = "maintain",
            mixinStandardHelpOptions = true,
            description = {
                "Expire old snapshots, compact the data files of closed day partitions and delete orphan files, "
                        + "table by table. Safe while the sinks write (a compaction commits only if the files it "
                        + "replaces are still current; sink commits only append). Schedule it daily."
            },
            footer = {
                "%nExamples:",
                "  chartpulse lake maintain --dry-run",
                "  chartpulse lake maintain --snapshot-age P2D"
            })
    static final class Maintain implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CatalogOptions catalog;

        @Option(
                names = "--snapshot-age",
                defaultValue = "P5D",
                description = "Expire snapshots older than this ISO-8601 duration (default ${DEFAULT-VALUE}).")
        Duration snapshotAge;

        @Option(
                names = "--retain-last",
                defaultValue = "10",
                description = "Always keep at least this many snapshots (default ${DEFAULT-VALUE}).")
        int retainLast;

        @Option(
                names = "--closed-after-days",
                defaultValue = "2",
                description = "A day partition is closed, and compacted, this many days after it "
                        + "(default ${DEFAULT-VALUE}).")
        int closedAfterDays;

        @Option(
                names = "--orphan-age",
                defaultValue = "P3D",
                description = "Delete unreferenced files only when older than this (default ${DEFAULT-VALUE}): "
                        + "well past any commit still in flight.")
        Duration orphanAge;

        @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            if (retainLast < 1) {
                throw new CliException(ExitCode.USAGE, "--retain-last must be at least 1, not " + retainLast);
            }
            PrintWriter out = spec.commandLine().getOut();
            LakeMaintenance.Settings settings =
                    new LakeMaintenance.Settings(snapshotAge, retainLast, closedAfterDays, orphanAge, dryRun);
            Catalog lake = openCatalog(catalog.connectorConfig, catalog.variables());
            try {
                for (LakeTable table : LakeTable.values()) {
                    if (!lake.tableExists(table.identifier())) {
                        out.printf("%-34s missing: run chartpulse lake init%n", table.identifier());
                        continue;
                    }
                    LakeMaintenance.Report r =
                            LakeMaintenance.maintain(lake.loadTable(table.identifier()), settings, Instant.now());
                    out.printf(
                            "%-34s %sexpired %d snapshots, compacted %d partitions (%d files into %d), "
                                    + "deleted %d orphan files%n",
                            table.identifier(),
                            dryRun ? "(dry run) " : "",
                            r.expiredSnapshots(),
                            r.compactedPartitions(),
                            r.filesRewritten(),
                            r.filesWritten(),
                            r.orphansDeleted());
                }
            } finally {
                close(lake);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    /** How {@code lake query} prints an answer. */
    enum Format {
        table,
        csv,
        json
    }

    @Command(
            name = "query",
            mixinStandardHelpOptions = true,
            description = {
                "Run SQL over the lake's tables for a first look: DuckDB, in this process, reads local copies of the "
                        + "current snapshot's Parquet files (kept under --cache-dir and reused; only new files are "
                        + "copied). Each table of the namespace is a view of its name: enriched_events, sessions, "
                        + "chart_metrics_minute, and the batch rollups. Timestamps are shown in UTC.",
                "A table with row-level deletes is refused (this reader reads data files only); use pyiceberg, "
                        + "Trino or Spark for those, and for anything big."
            },
            footer = {
                "%nExamples:",
                "  chartpulse lake query --dev \"SELECT count(*) FROM enriched_events\"",
                "  chartpulse lake query --dev --format csv \"SELECT chart.chart_id, product.rank, count(*) AS clicks"
                        + " FROM enriched_events WHERE event_type = 'PRODUCT_CLICK' GROUP BY ALL ORDER BY clicks DESC\"",
                "  chartpulse lake query --dev \"DESCRIBE enriched_events\""
            })
    static final class Query implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CatalogOptions catalog;

        @CommandLine.Parameters(paramLabel = "SQL", description = "The query (DuckDB's SQL dialect).")
        String sql;

        @Option(
                names = "--max-rows",
                defaultValue = "100",
                description = "Print at most this many rows (default ${DEFAULT-VALUE}).")
        int maxRows;

        @Option(
                names = "--format",
                defaultValue = "table",
                description = "table, csv or json (one object per line) (default ${DEFAULT-VALUE}).")
        Format format;

        @Option(
                names = "--cache-dir",
                defaultValue = "${env:CHARTPULSE_HOME:-.}/.chartpulse/lake-query",
                description = "Where the local copies of the data files are kept (default ${DEFAULT-VALUE}).")
        Path cacheDir;

        @Override
        public Integer call() {
            if (maxRows < 1) {
                throw new CliException(ExitCode.USAGE, "--max-rows must be at least 1, not " + maxRows);
            }
            PrintWriter out = spec.commandLine().getOut();
            Catalog lake = openCatalog(catalog.connectorConfig, catalog.variables());
            try (LakeQuery query = LakeQuery.open(lake, LakeTable.NAMESPACE, cacheDir)) {
                LakeQuery.Answer answer = query.query(sql, maxRows);
                out.print(LakeQueryOutput.render(answer, format));
                if (format == Format.table) {
                    int copied = query.views().stream()
                            .mapToInt(LakeQuery.View::copied)
                            .sum();
                    int files = query.views().stream()
                            .mapToInt(LakeQuery.View::files)
                            .sum();
                    out.printf(
                            "(%d row%s%s; %d data files, %d copied now)%n",
                            answer.rows().size(),
                            answer.rows().size() == 1 ? "" : "s",
                            answer.truncated() ? ", more left out: raise --max-rows" : "",
                            files,
                            copied);
                }
            } catch (SQLException e) {
                throw new CliException(ExitCode.USAGE, "The query failed: " + e.getMessage());
            } catch (IllegalStateException e) {
                throw new CliException(ExitCode.CHECK_FAILED, e.getMessage());
            } catch (UncheckedIOException e) {
                throw new CliException(ExitCode.UNREACHABLE, e.getMessage() + ": " + e.getCause());
            } finally {
                close(lake);
            }
            out.flush();
            return ExitCode.OK;
        }
    }
}

package io.chartpulse.cli.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * SQL over the lake for a first look: DuckDB (in this process, in memory) reads local copies of the Parquet data files
 * of each table's current snapshot. Every table of the namespace becomes a view of the same name, reachable
 * unqualified ({@code enriched_events}) or qualified ({@code chartpulse.enriched_events}).
 *
 * <p>Data files are immutable in Iceberg, so a copy is kept in the cache directory under the file's path and is
 * reused by the next query; copies of files that left the snapshot (compaction, overwrites) are deleted. A table
 * with row-level delete files is refused rather than shown with rows Iceberg has deleted: this reader reads data
 * files only. For anything larger than a first look, use an engine that reads Iceberg itself (pyiceberg, Trino,
 * Spark, Athena; the lake module's README).
 */
public final class LakeQuery implements AutoCloseable {

    /** One table as the views see it: the current snapshot's data files, their bytes, and how many were copied now. */
    public record View(TableIdentifier table, int files, long bytes, int copied) {}

    /**
     * A query's answer: column names, the rows (numbers and booleans as such, every other value as DuckDB's text of
     * it, null for SQL NULL), and whether rows were left out.
     */
    public record Answer(List<String> columns, List<List<Object>> rows, boolean truncated) {}

    private final Connection duckdb;
    private final List<View> views;

    private LakeQuery(Connection duckdb, List<View> views) {
        this.duckdb = duckdb;
        this.views = views;
    }

    /** Copies what is missing of every table of {@code namespace} into {@code cacheDir} and opens DuckDB over it. */
    public static LakeQuery open(Catalog catalog, Namespace namespace, Path cacheDir) throws SQLException {
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try {
            List<View> views = new ArrayList<>();
            try (Statement s = duckdb.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
                s.execute("CREATE SCHEMA " + identifier(namespace.toString()));
                for (TableIdentifier id : catalog.listTables(namespace)) {
                    views.add(createView(s, catalog.loadTable(id), id, cacheDir));
                }
                s.execute("SET search_path = " + literal(namespace + ",main"));
            }
            return new LakeQuery(duckdb, views);
        } catch (SQLException | RuntimeException e) {
            duckdb.close();
            throw e;
        }
    }

    /** The tables behind the views, in the catalog's order. */
    public List<View> views() {
        return views;
    }

    /** Runs {@code sql}; returns at most {@code maxRows} rows. */
    public Answer query(String sql, int maxRows) throws SQLException {
        try (Statement s = duckdb.createStatement()) {
            if (!s.execute(sql)) {
                return new Answer(List.of("changed"), List.of(List.of(s.getUpdateCount())), false);
            }
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.add(meta.getColumnLabel(c));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        return new Answer(columns, rows, true);
                    }
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int c = 1; c <= columns.size(); c++) {
                        Object value = rs.getObject(c);
                        row.add(
                                value == null || value instanceof Number || value instanceof Boolean
                                        ? value
                                        : rs.getString(c));
                    }
                    rows.add(row);
                }
                return new Answer(columns, rows, false);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        duckdb.close();
    }

    private static View createView(Statement s, Table table, TableIdentifier id, Path cacheDir) throws SQLException {
        Path dir = cacheDir.resolve(id.toString());
        List<Path> files = new ArrayList<>();
        long bytes = 0;
        int copied = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException(id + " has row-level delete files ("
                            + task.deletes().size()
                            + " on " + task.file().location() + "); lake query reads data files only and would show"
                            + " deleted rows — read it with pyiceberg, Trino or Spark");
                }
                String location = task.file().location();
                Path local = dir.resolve(relative(table.location(), location));
                if (!Files.exists(local) || Files.size(local) != task.file().fileSizeInBytes()) {
                    copy(table, location, local);
                    copied++;
                }
                files.add(local);
                bytes += task.file().fileSizeInBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the data files of " + id + " into " + dir, e);
        }
        prune(dir, new HashSet<>(files));
        String name = identifier(id.namespace().toString()) + "." + identifier(id.name());
        if (files.isEmpty()) {
            s.execute("CREATE VIEW " + name + " AS SELECT * FROM (SELECT "
                    + emptyColumns(table.schema().asStruct()) + ") WHERE false");
        } else {
            String list = files.stream()
                    .map(p -> literal(p.toAbsolutePath().toString()))
                    .collect(Collectors.joining(", ", "[", "]"));
            // Iceberg's data paths look like Hive partitions (derived_at_day=…); the columns come from the files.
            s.execute("CREATE VIEW " + name + " AS SELECT * FROM read_parquet(" + list
                    + ", union_by_name = true, hive_partitioning = false)");
        }
        return new View(id, files.size(), bytes, copied);
    }

    /** {@code location} below the table's location, as a relative path safe to put under the cache directory. */
    static Path relative(String tableLocation, String location) {
        String rest = location.startsWith(tableLocation + "/")
                ? location.substring(tableLocation.length() + 1)
                : location.replaceFirst("^[a-zA-Z0-9]+://", "");
        Path path = Path.of(rest).normalize();
        if (path.isAbsolute() || path.startsWith("..")) {
            throw new IllegalStateException("A data file outside its table: " + location);
        }
        return path;
    }

    private static void copy(Table table, String location, Path local) throws IOException {
        Files.createDirectories(local.getParent());
        Path partial = local.resolveSibling(local.getFileName() + ".partial");
        try (InputStream in = table.io().newInputFile(location).newStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes the copies under {@code dir} that are not in {@code keep}. */
    private static void prune(Path dir, Set<Path> keep) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!keep.contains(p)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove stale copies under " + dir, e);
        }
    }

    /** {@code NULL::<type> AS <name>, …}: the columns of an empty table. */
    static String emptyColumns(Types.StructType struct) {
        return struct.fields().stream()
                .map(f -> "NULL::" + duckdbType(f.type()) + " AS " + identifier(f.name()))
                .collect(Collectors.joining(", "));
    }

    /** The DuckDB type DuckDB's Parquet reader gives an Iceberg column. */
    static String duckdbType(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
            case STRING -> "VARCHAR";
            case UUID -> "UUID";
            case FIXED, BINARY -> "BLOB";
            case DECIMAL -> {
                Types.DecimalType d = (Types.DecimalType) type;
                yield "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
            }
            case STRUCT ->
                type.asStructType().fields().stream()
                        .map(f -> identifier(f.name()) + " " + duckdbType(f.type()))
                        .collect(Collectors.joining(", ", "STRUCT(", ")"));
            case LIST -> duckdbType(type.asListType().elementType()) + "[]";
            case MAP ->
                "MAP(" + duckdbType(type.asMapType().keyType()) + ", "
                        + duckdbType(type.asMapType().valueType()) + ")";
            default -> throw new IllegalStateException("No DuckDB type for the Iceberg type " + type);
        };
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}

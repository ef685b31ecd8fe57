package io.chartpulse.schemas.evolution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The released versions of each record, kept as {@code <root>/<Record>/v<N>.avsc} (N = 1, 2, ... without gaps).
 * Each file is a self-contained schema: nested types are written out in full, so a file never changes when a
 * shared type evolves later.
 */
public final class SchemaHistory {

    /** Where the history travels inside the schemas jar. */
    public static final String CLASSPATH_ROOT = "chartpulse/schema-history";

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private final Path directory;

    private SchemaHistory(Path directory) {
        this.directory = directory;
    }

    /** History kept in a directory (the {@code schemas/history} folder of the source tree). */
    public static SchemaHistory inDirectory(Path directory) {
        return new SchemaHistory(directory);
    }

    /** The released versions of {@code record}, oldest first; empty when it was never released. */
    public List<VersionedSchema> versions(String record) {
        Path folder = directory.resolve(record);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p ->
                            VERSION_FILE.matcher(p.getFileName().toString()).matches())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list schema history folder " + folder, e);
        }
        Path[] byVersion = new Path[files.size()];
        for (Path file : files) {
            int version = versionOf(file);
            if (version < 1 || version > files.size()) {
                throw new IllegalStateException("Schema history of " + record + " must be v1.avsc .. v" + files.size()
                        + ".avsc without gaps, but found " + file.getFileName());
            }
            byVersion[version - 1] = file;
        }
        List<VersionedSchema> versions = new ArrayList<>();
        for (int i = 0; i < byVersion.length; i++) {
            versions.add(new VersionedSchema("v" + (i + 1), parse(byVersion[i])));
        }
        return versions;
    }

    /** The released versions of {@code record} as packaged in the schemas jar, oldest first. */
    public static List<VersionedSchema> fromClasspath(String record) {
        List<VersionedSchema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int v = 1; ; v++) {
            String resource = CLASSPATH_ROOT + "/" + record + "/v" + v + ".avsc";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new VersionedSchema("v" + v, new Schema.Parser().parse(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
    }

    /** Writes {@code schema} as the next version of {@code record} and returns the file written. */
    public Path cut(String record, Schema schema) {
        int next = versions(record).size() + 1;
        Path file = directory.resolve(record).resolve("v" + next + ".avsc");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    private static int versionOf(Path file) {
        Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (SchemaParseException e) {
            throw new IllegalStateException("Invalid schema in history file " + file + ": " + e.getMessage(), e);
        }
    }
}

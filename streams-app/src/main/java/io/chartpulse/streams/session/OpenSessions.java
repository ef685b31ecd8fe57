package io.chartpulse.streams.session;

import io.chartpulse.avro.Session;
import io.chartpulse.serde.avro.CompiledDatumWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The session store's value: a visitor's open sessions, ordered by start (almost always one). Stored as plain Avro
 * binary of {@code array<Session>}, with no registry framing (the store is internal to the application) but with a
 * two-byte header: {@value #MARKER} and the released version of the Session schema it was written with (its number
 * in the schema history, 0 for a schema not released yet). A value is read from its version's schema into the
 * current one, so a compatible Session change (such as adding a field with a default) needs no reset of the store.
 * Values without the header were written before it existed, with Session v{@value #LEGACY_VERSION}: an Avro array
 * starts with a zig-zag block count, which for the non-negative counts a writer uses is never {@value #MARKER}.
 */
public final class OpenSessions {

    static final int MARKER = 0x7F;
    static final int LEGACY_VERSION = 2;
    private static final String HISTORY = "chartpulse/schema-history/Session/v";

    private static final Schema SCHEMA = Schema.createArray(Session.getClassSchema());
    private static final SpecificData MODEL = SpecificData.getForClass(Session.class);
    private static final int VERSION = currentVersion();
    private static final CompiledDatumWriter WRITER = CompiledDatumWriter.of(SCHEMA, MODEL);
    private static final Map<Integer, SpecificDatumReader<List<Session>>> READERS = new ConcurrentHashMap<>();

    private OpenSessions() {}

    public static Serde<List<Session>> serde() {
        return Serdes.serdeFrom(
                (topic, sessions) -> {
                    if (sessions == null) {
                        return null;
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
                    bytes.write(MARKER);
                    bytes.write(VERSION);
                    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                    write(sessions, encoder);
                    return bytes.toByteArray();
                },
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    boolean headed = data.length >= 2 && (data[0] & 0xFF) == MARKER;
                    int version = headed ? data[1] & 0xFF : LEGACY_VERSION;
                    int offset = headed ? 2 : 0;
                    return read(data, offset, data.length - offset, version);
                });
    }

    /** The released Session schema version values are written with now (0: not released yet). */
    static int version() {
        return VERSION;
    }

    /** Writes {@code sessions} as Avro binary of {@code array<Session>} (the current schema) and flushes. */
    static void write(List<Session> sessions, BinaryEncoder encoder) {
        try {
            WRITER.write(sessions, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads sessions written by {@link #write} with Session schema {@code version}, into the current schema. */
    static List<Session> read(byte[] data, int offset, int length, int version) {
        try {
            SpecificDatumReader<List<Session>> reader = READERS.computeIfAbsent(version, OpenSessions::reader);
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, offset, length, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "unreadable open sessions in the session store (Session schema version " + version + ")", e);
        }
    }

    private static SpecificDatumReader<List<Session>> reader(int version) {
        Schema writer = version == VERSION ? SCHEMA : Schema.createArray(released(version));
        return new SpecificDatumReader<>(writer, SCHEMA, MODEL);
    }

    // The highest released version whose schema reads like the current one; 0 when it is not released yet.
    private static int currentVersion() {
        long current = SchemaNormalization.parsingFingerprint64(Session.getClassSchema());
        int found = 0;
        for (int v = 1; v < MARKER; v++) {
            Schema released;
            try {
                released = released(v);
            } catch (IllegalStateException missing) {
                break;
            }
            if (SchemaNormalization.parsingFingerprint64(released) == current) {
                found = v;
            }
        }
        return found;
    }

    private static Schema released(int version) {
        try (InputStream in = OpenSessions.class.getClassLoader().getResourceAsStream(HISTORY + version + ".avsc")) {
            if (in == null) {
                throw new IllegalStateException("no Session schema v" + version + " in the schema history");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

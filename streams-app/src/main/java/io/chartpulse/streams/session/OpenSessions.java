package io.chartpulse.streams.session;

import io.chartpulse.avro.Session;
import io.chartpulse.serde.avro.CompiledDatumWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
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
 * binary of {@code array<Session>} with the current Session schema: the store is internal to the application, so
 * it needs no registry framing, and one point lookup per event replaces a range scan. The changelog of an
 * application is rebuilt with the application, so a Session schema change needs a new application id or an
 * empty store (documented in the README's upgrade notes).
 */
public final class OpenSessions {

    private static final Schema SCHEMA = Schema.createArray(Session.getClassSchema());
    private static final SpecificData MODEL = SpecificData.getForClass(Session.class);

    private OpenSessions() {}

    public static Serde<List<Session>> serde() {
        CompiledDatumWriter writer = CompiledDatumWriter.of(SCHEMA, MODEL);
        SpecificDatumReader<List<Session>> reader = new SpecificDatumReader<>(SCHEMA, SCHEMA, MODEL);
        return Serdes.serdeFrom(
                (topic, sessions) -> {
                    if (sessions == null) {
                        return null;
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
                    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                    try {
                        writer.write(sessions, encoder);
                        encoder.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return bytes.toByteArray();
                },
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
                    try {
                        return reader.read(null, decoder);
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("unreadable open sessions in the session store", e);
                    }
                });
    }
}

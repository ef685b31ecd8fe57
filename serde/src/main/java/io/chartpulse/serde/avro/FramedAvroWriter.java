package io.chartpulse.serde.avro;

import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.RegistryRestException;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaMetadata;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Writes values in the Confluent wire format: resolves the schema id (register, look up, or the subject's latest
 * version, per config) and appends the Avro binary body. Shared by the Kafka serializer and the Connect converter.
 * Thread-safe.
 */
public final class FramedAvroWriter {

    private record WriterKey(Schema schema, GenericData model) {}

    private record Resolved(Schema schema, String subject, int id) {}

    private final SchemaRegistryClient client;
    private final SubjectNameStrategy strategy;
    private final boolean isKey;
    private final boolean autoRegister;
    private final boolean useLatest;
    private final boolean logicalTypes;
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    // The id last resolved per topic: most topics see one schema, so the hot path skips naming and lookup.
    private final Map<String, Resolved> resolvedByTopic = new ConcurrentHashMap<>();

    public FramedAvroWriter(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        this.client = client;
        this.strategy = config.subjectNameStrategy(isKey);
        this.isKey = isKey;
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
        this.useLatest = config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG);
        this.logicalTypes = config.getBoolean(AvroSerdeConfig.USE_LOGICAL_TYPE_CONVERTERS_CONFIG);
    }

    /** Writes {@code datum} with its own schema; null stays null (tombstones survive). */
    byte[] write(String topic, Object datum) {
        if (datum == null) {
            return null;
        }
        Schema schema;
        try {
            schema = AvroModels.schemaOf(datum);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(
                    "Cannot serialize " + (isKey ? "key" : "value") + " for topic " + topic + ": " + e.getMessage());
        }
        return write(topic, schema, datum, AvroModels.forDatum(datum, logicalTypes));
    }

    /** Writes {@code datum} with {@code schema} under {@code model}. */
    public byte[] write(String topic, Schema schema, Object datum, GenericData model) {
        Resolved resolved = resolvedByTopic.get(topic);
        String subject = resolved != null && resolved.schema() == schema
                ? resolved.subject()
                : strategy.subjectName(topic, isKey, schema);
        try {
            int id;
            Schema writeWith = schema;
            Object value = datum;
            if (resolved != null && resolved.schema() == schema && !useLatest) {
                id = resolved.id();
            } else if (useLatest) {
                SchemaMetadata latest = client.latest(subject);
                id = latest.id();
                if (!latest.schema().equals(schema)) {
                    value = convert(datum, schema, latest.schema(), model, subject);
                    writeWith = latest.schema();
                    model = AvroModels.generic(logicalTypes);
                }
            } else {
                id = autoRegister ? client.register(subject, schema) : client.lookupId(subject, schema);
                resolvedByTopic.put(topic, new Resolved(schema, subject, id));
            }
            return encode(id, writer(writeWith, model), value);
        } catch (RegistryUnavailableException e) {
            // An outage, not a bad value: callers retry (see FramedAvroReader#writerSchema).
            throw new RegistryUnavailableException(failure(topic, subject) + e.getMessage(), e);
        } catch (RegistryRestException e) {
            throw new SerializationException(failure(topic, subject) + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException) {
                throw (SerializationException) e;
            }
            throw new SerializationException(
                    failure(topic, subject) + "the value does not match schema " + schema.getFullName() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** A per-thread buffer and buffered encoder: encoding allocates nothing but the returned array. */
    private static final class Scratch {
        final OutputBuffer out = new OutputBuffer();
        BinaryEncoder encoder;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static byte[] encode(int id, DatumWriter<Object> writer, Object value) throws IOException {
        Scratch scratch = SCRATCH.get();
        OutputBuffer out = scratch.out;
        // Re-configuring the encoder flushes what a failed write left in it; the reset then drops it.
        scratch.encoder = EncoderFactory.get().binaryEncoder(out, scratch.encoder);
        out.reset();
        out.write(WireFormat.header(id));
        writer.write(value, scratch.encoder);
        scratch.encoder.flush();
        return out.toByteArray();
    }

    /** An unsynchronised ByteArrayOutputStream whose buffer is kept between records. */
    private static final class OutputBuffer extends ByteArrayOutputStream {
        OutputBuffer() {
            super(1024);
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        @Override
        public void reset() {
            count = 0;
        }

        @Override
        public byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    // Re-reads the value through Avro schema resolution, so fields land in the latest schema by name.
    private Object convert(Object datum, Schema own, Schema latest, GenericData model, String subject)
            throws IOException {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(latest, own);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("use.latest.version: the latest schema of subject " + subject
                    + " cannot read values of " + own.getFullName() + ": " + compatibility.getDescription());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer(own, model).write(datum, encoder);
        encoder.flush();
        GenericDatumReader<Object> reader = new GenericDatumReader<>(own, latest, AvroModels.generic(logicalTypes));
        return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private DatumWriter<Object> writer(Schema schema, GenericData model) {
        return writers.computeIfAbsent(
                new WriterKey(schema, model), key -> CompiledDatumWriter.of(key.schema(), key.model()));
    }

    private String failure(String topic, String subject) {
        return "Cannot serialize " + (isKey ? "key" : "value") + " for topic " + topic + " (subject " + subject + "): ";
    }
}

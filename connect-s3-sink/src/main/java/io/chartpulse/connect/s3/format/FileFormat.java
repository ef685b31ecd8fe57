package io.chartpulse.connect.s3.format;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.connect.AvroData;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** How records become the bytes of one object. */
public interface FileFormat {

    /** The file name extension, without the dot. */
    String extension();

    /**
     * What a file of this format is bound to: records with a different key need a new file (for Avro: the writer
     * schema). Throws a DataException for a record the format cannot take.
     */
    Object schemaKey(SinkRecord record);

    /** Starts a file on {@code out} whose first record is {@code first}. */
    FileWriter open(OutputStream out, SinkRecord first) throws IOException;

    /** One file being written. */
    interface FileWriter {
        void write(SinkRecord record) throws IOException;

        /** Flushes everything into the stream and closes it; the file is complete. */
        void close() throws IOException;
    }

    /** A record's bytes in a line-oriented file. */
    @FunctionalInterface
    interface Body {
        byte[] of(SinkRecord record) throws IOException;
    }

    /** A file of records' bodies, each followed by {@code separator}, optionally gzip-compressed. */
    static FileWriter separated(OutputStream out, boolean gzip, Body body, byte[] separator) throws IOException {
        OutputStream target = gzip ? new GZIPOutputStream(out, 64 * 1024) : out;
        return new FileWriter() {
            @Override
            public void write(SinkRecord record) throws IOException {
                target.write(body.of(record));
                target.write(separator);
            }

            @Override
            public void close() throws IOException {
                target.close();
            }
        };
    }

    static FileFormat create(S3SinkConfig config, SchemaRegistryClient registry) {
        return switch (config.format()) {
            case JSONL -> new JsonLinesFormat(registry, config.gzip());
            case BYTES -> new BytesFormat(config.bytesSeparator(), config.gzip());
            case AVRO -> new AvroFormat(registry, codec(config.avroCodec()));
        };
    }

    private static CodecFactory codec(S3SinkConfig.AvroCodec codec) {
        return switch (codec) {
            case DEFLATE -> CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL);
            case SNAPPY -> CodecFactory.snappyCodec();
            case ZSTANDARD -> CodecFactory.zstandardCodec(CodecFactory.DEFAULT_ZSTANDARD_LEVEL);
            case NULL -> CodecFactory.nullCodec();
        };
    }

    /**
     * Avro object container files. Confluent-framed bytes (ByteArrayConverter) are appended as they are, after the
     * writer schema is looked up by id ({@link DataFileWriter#appendEncoded}); Connect data from a converter is
     * encoded with the schema derived from its Connect schema.
     */
    final class AvroFormat implements FileFormat {
        private final SchemaRegistryClient registry;
        private final CodecFactory codec;
        private final AvroData avroData = new AvroData();

        AvroFormat(SchemaRegistryClient registry, CodecFactory codec) {
            this.registry = registry;
            this.codec = codec;
        }

        @Override
        public String extension() {
            return "avro";
        }

        @Override
        public Object schemaKey(SinkRecord record) {
            Object value = record.value();
            if (value instanceof byte[] bytes) {
                try {
                    return WireFormat.readId(ByteBuffer.wrap(bytes), FieldReader.where(record));
                } catch (RuntimeException e) {
                    throw new DataException(e.getMessage(), e);
                }
            }
            if (value != null && record.valueSchema() != null) {
                return record.valueSchema();
            }
            throw new DataException("Record " + FieldReader.where(record) + " cannot go to an Avro file: "
                    + (value == null
                            ? "its value is null"
                            : "its value has no schema (use ByteArrayConverter with "
                                    + "framed Avro, or a converter with schemas)"));
        }

        @Override
        public FileWriter open(OutputStream out, SinkRecord first) throws IOException {
            DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<>()).setCodec(codec);
            if (first.value() instanceof byte[] bytes) {
                if (registry == null) {
                    throw new DataException("Writing framed Avro needs schema.registry.url");
                }
                Schema schema = registry.byId(WireFormat.readId(ByteBuffer.wrap(bytes), FieldReader.where(first)));
                writer.create(schema, out);
                return new FileWriter() {
                    @Override
                    public void write(SinkRecord record) throws IOException {
                        byte[] framed = (byte[]) record.value();
                        writer.appendEncoded(ByteBuffer.wrap(
                                framed, WireFormat.HEADER_SIZE, framed.length - WireFormat.HEADER_SIZE));
                    }

                    @Override
                    public void close() throws IOException {
                        writer.close();
                    }
                };
            }
            org.apache.kafka.connect.data.Schema connectSchema = first.valueSchema();
            Schema schema = avroData.fromConnectSchema(connectSchema);
            writer.create(schema, out);
            return new FileWriter() {
                @Override
                public void write(SinkRecord record) throws IOException {
                    try {
                        writer.append(avroData.fromConnectValue(connectSchema, schema, record.value()));
                    } catch (DataFileWriter.AppendWriteException | DataException e) {
                        throw new DataException(
                                "Record " + FieldReader.where(record) + " does not fit its schema: " + e.getMessage(),
                                e);
                    }
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    }

    /** One JSON object per line (see {@link JsonValues}), optionally gzip-compressed. */
    final class JsonLinesFormat implements FileFormat {
        private final JsonValues json;
        private final boolean gzip;

        JsonLinesFormat(SchemaRegistryClient registry, boolean gzip) {
            this.json = new JsonValues(registry);
            this.gzip = gzip;
        }

        @Override
        public String extension() {
            return gzip ? "jsonl.gz" : "jsonl";
        }

        @Override
        public Object schemaKey(SinkRecord record) {
            if (record.value() == null) {
                throw new DataException("Record " + FieldReader.where(record) + " has a null value (a tombstone)");
            }
            return "jsonl";
        }

        @Override
        public FileWriter open(OutputStream out, SinkRecord first) throws IOException {
            return separated(out, gzip, json::line, new byte[] {'\n'});
        }
    }

    /** The raw values (bytes, or strings as UTF-8), each followed by the separator; optionally gzip-compressed. */
    final class BytesFormat implements FileFormat {
        private final byte[] separator;
        private final boolean gzip;

        BytesFormat(byte[] separator, boolean gzip) {
            this.separator = separator;
            this.gzip = gzip;
        }

        @Override
        public String extension() {
            return gzip ? "bin.gz" : "bin";
        }

        @Override
        public Object schemaKey(SinkRecord record) {
            Object value = record.value();
            if (!(value instanceof byte[]) && !(value instanceof String)) {
                throw new DataException("Record " + FieldReader.where(record) + " cannot go to a bytes file: its value "
                        + "is "
                        + (value == null ? "null" : "a " + value.getClass().getSimpleName())
                        + " (use ByteArrayConverter or StringConverter)");
            }
            return "bytes";
        }

        @Override
        public FileWriter open(OutputStream out, SinkRecord first) throws IOException {
            return separated(
                    out,
                    gzip,
                    record -> record.value() instanceof byte[] b
                            ? b
                            : ((String) record.value()).getBytes(StandardCharsets.UTF_8),
                    separator);
        }
    }
}

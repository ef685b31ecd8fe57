package io.chartpulse.connect.s3.config;

import io.chartpulse.config.ConfigChoice;
import io.chartpulse.config.ConfigChoices;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Every setting of the S3 sink, declared once: documentation, type, default, validator and group. The README's
 * table is generated from {@link #CONFIG} (checked by a test). Registry settings use the serde's key names
 * ({@code schema.registry.url}, {@code basic.auth.*}) and are passed to it as they are.
 */
public final class S3SinkConfig extends AbstractConfig {

    public static final String BUCKET = "s3.bucket.name";
    public static final String REGION = "s3.region";
    public static final String ENDPOINT = "s3.endpoint";
    public static final String PATH_STYLE = "s3.path.style.access";
    public static final String ACCESS_KEY = "aws.access.key.id";
    public static final String SECRET_KEY = "aws.secret.access.key";
    public static final String SSE = "s3.sse";
    public static final String SSE_KMS_KEY = "s3.sse.kms.key.id";
    public static final String STORAGE_CLASS = "s3.storage.class";
    public static final String PART_SIZE = "s3.part.size";
    public static final String RETRY_BACKOFF = "s3.retry.backoff.ms";
    public static final String RETRY_DEADLINE = "s3.retry.deadline.ms";

    public static final String TOPICS_DIR = "topics.dir";
    public static final String FORMAT = "format";
    public static final String AVRO_CODEC = "avro.codec";
    public static final String COMPRESSION = "compression.type";
    public static final String BYTES_SEPARATOR = "format.bytes.separator";
    public static final String PAD_WIDTH = "filename.offset.zero.pad.width";
    public static final String OFFSETS_DIR = "offsets.dir";

    public static final String PARTITIONER = "partitioner";
    public static final String PARTITION_FIELDS = "partition.field.name";
    public static final String PATH_FORMAT = "path.format";
    public static final String TIMEZONE = "timezone";
    public static final String TIMESTAMP_EXTRACTOR = "timestamp.extractor";
    public static final String TIMESTAMP_FIELD = "timestamp.field";

    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_INTERVAL = "rotate.interval.ms";
    public static final String ROTATE_SCHEDULE = "rotate.schedule.interval.ms";
    public static final String ROTATE_BYTES = "rotate.size.bytes";
    public static final String MAX_OPEN_FILES = "max.open.files.per.task";
    public static final String MAX_BUFFERED = "max.buffered.bytes.per.task";

    public static final String REGISTRY_URL = "schema.registry.url";

    /** {@value #FORMAT}: how records become files. */
    public enum Format implements ConfigChoice {
        AVRO("avro"),
        JSONL("jsonl"),
        BYTES("bytes");

        private final String value;

        Format(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #AVRO_CODEC}: the block codec of Avro files. */
    public enum AvroCodec implements ConfigChoice {
        NULL("null"),
        DEFLATE("deflate"),
        SNAPPY("snappy"),
        ZSTANDARD("zstandard");

        private final String value;

        AvroCodec(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #COMPRESSION}: compression of jsonl and bytes files. */
    public enum Compression implements ConfigChoice {
        NONE("none"),
        GZIP("gzip");

        private final String value;

        Compression(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #PARTITIONER}: where in the bucket a record's file goes. */
    public enum PartitionScheme implements ConfigChoice {
        KAFKA_PARTITION("kafka_partition"),
        FIELD("field"),
        TIME("time");

        private final String value;

        PartitionScheme(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #TIMESTAMP_EXTRACTOR}: where a record's time comes from. */
    public enum TimestampSource implements ConfigChoice {
        RECORD("Record"),
        RECORD_FIELD("RecordField");

        private final String value;

        TimestampSource(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #SSE}: server-side encryption of the objects; {@code BUCKET_DEFAULT} sends none. */
    public enum Encryption implements ConfigChoice {
        BUCKET_DEFAULT(""),
        AES256("AES256"),
        AWS_KMS("aws:kms");

        private final String value;

        Encryption(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    private static final String G_S3 = "S3";
    private static final String G_FORMAT = "Format";
    private static final String G_PARTITION = "Partitioning";
    private static final String G_ROTATION = "Rotation and memory";
    private static final String G_REGISTRY = "Schema registry";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    BUCKET,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Bucket the objects go to; it must exist.",
                    G_S3,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Bucket")
            .define(
                    REGION,
                    Type.STRING,
                    "us-east-1",
                    Importance.MEDIUM,
                    "AWS region of the bucket (any value for " + "S3-compatible stores that ignore it).",
                    G_S3,
                    2,
                    ConfigDef.Width.SHORT,
                    "Region")
            .define(
                    ENDPOINT,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Endpoint override for S3-compatible stores "
                            + "(MinIO, S3Proxy), e.g. http://127.0.0.1:9000; empty for AWS.",
                    G_S3,
                    3,
                    ConfigDef.Width.LONG,
                    "Endpoint")
            .define(
                    PATH_STYLE,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Path-style requests (endpoint/bucket/key), " + "needed by most non-AWS stores.",
                    G_S3,
                    4,
                    ConfigDef.Width.SHORT,
                    "Path-style access")
            .define(
                    ACCESS_KEY,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Static access key id; empty uses the AWS default "
                            + "credentials chain (environment, profile, container or instance role). Can come from a config "
                            + "provider: ${env:...} or ${file:...}.",
                    G_S3,
                    5,
                    ConfigDef.Width.MEDIUM,
                    "Access key id")
            .define(
                    SECRET_KEY,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "Static secret key, with " + ACCESS_KEY + "; best from a config provider.",
                    G_S3,
                    6,
                    ConfigDef.Width.MEDIUM,
                    "Secret access key")
            .define(
                    SSE,
                    Type.STRING,
                    Encryption.BUCKET_DEFAULT.configValue(),
                    ConfigChoices.validator(Encryption.class),
                    Importance.LOW,
                    "Server-side encryption of the objects: empty (the bucket's default), AES256 or aws:kms.",
                    G_S3,
                    7,
                    ConfigDef.Width.SHORT,
                    "SSE",
                    ConfigChoices.recommender(Encryption.class))
            .define(
                    SSE_KMS_KEY,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "KMS key id for aws:kms; empty uses the AWS managed " + "key.",
                    G_S3,
                    8,
                    ConfigDef.Width.MEDIUM,
                    "KMS key id")
            .define(
                    STORAGE_CLASS,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "Storage class of the objects, e.g. STANDARD_IA; " + "empty for the bucket's default.",
                    G_S3,
                    9,
                    ConfigDef.Width.SHORT,
                    "Storage class")
            .define(
                    PART_SIZE,
                    Type.INT,
                    8 * 1024 * 1024,
                    Range.between(5 * 1024 * 1024, 512 * 1024 * 1024),
                    Importance.LOW,
                    "Multipart upload part size in bytes (at least 5 MiB). An object that grows past "
                            + "it is uploaded in parts as it is written, so an open file buffers at most one part.",
                    G_S3,
                    10,
                    ConfigDef.Width.SHORT,
                    "Part size")
            .define(
                    RETRY_BACKOFF,
                    Type.LONG,
                    1000L,
                    Range.atLeast(10),
                    Importance.LOW,
                    "Wait before the worker " + "retries a batch after an S3 or registry error.",
                    G_S3,
                    11,
                    ConfigDef.Width.SHORT,
                    "Retry backoff")
            .define(
                    RETRY_DEADLINE,
                    Type.LONG,
                    300_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "How long S3 (or the "
                            + "registry) may keep failing before the task fails with the last error; until then batches "
                            + "are retried.",
                    G_S3,
                    12,
                    ConfigDef.Width.SHORT,
                    "Retry deadline")
            .define(
                    TOPICS_DIR,
                    Type.STRING,
                    "topics",
                    Importance.MEDIUM,
                    "Key prefix: objects are "
                            + "<topics.dir>/<topic>/<partition path>/<topic>+<partition>+<start offset>.<ext>. Empty for none.",
                    G_FORMAT,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Topics directory")
            .define(
                    FORMAT,
                    Type.STRING,
                    Format.AVRO.configValue(),
                    ConfigChoices.validator(Format.class),
                    Importance.HIGH,
                    "avro: Avro object container files (one writer schema per file; "
                            + "Confluent-framed Avro from ByteArrayConverter is written without decoding, Connect data from "
                            + "a converter is encoded). jsonl: one JSON object per line. bytes: the raw values, separated.",
                    G_FORMAT,
                    2,
                    ConfigDef.Width.SHORT,
                    "Format",
                    ConfigChoices.recommender(Format.class))
            .define(
                    AVRO_CODEC,
                    Type.STRING,
                    AvroCodec.NULL.configValue(),
                    ConfigChoices.validator(AvroCodec.class),
                    Importance.MEDIUM,
                    "Block codec of Avro files.",
                    G_FORMAT,
                    3,
                    ConfigDef.Width.SHORT,
                    "Avro codec",
                    ConfigChoices.recommender(AvroCodec.class))
            .define(
                    COMPRESSION,
                    Type.STRING,
                    Compression.NONE.configValue(),
                    ConfigChoices.validator(Compression.class),
                    Importance.MEDIUM,
                    "Compression of jsonl and bytes files (gzip adds .gz to the name).",
                    G_FORMAT,
                    4,
                    ConfigDef.Width.SHORT,
                    "Compression",
                    ConfigChoices.recommender(Compression.class))
            .define(
                    BYTES_SEPARATOR,
                    Type.STRING,
                    "\\n",
                    Importance.LOW,
                    "Separator written after each value in "
                            + "the bytes format; Java escapes \\n, \\r, \\t, \\0 are understood; empty for none.",
                    G_FORMAT,
                    5,
                    ConfigDef.Width.SHORT,
                    "Bytes separator")
            .define(
                    PAD_WIDTH,
                    Type.INT,
                    10,
                    Range.between(1, 19),
                    Importance.LOW,
                    "Digits the start offset in " + "object names is zero-padded to, so names sort in offset order.",
                    G_FORMAT,
                    6,
                    ConfigDef.Width.SHORT,
                    "Offset width")
            .define(
                    OFFSETS_DIR,
                    Type.STRING,
                    "_offsets",
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Key prefix of the sink's "
                            + "progress objects: <offsets.dir>/<topics.dir>/<topic>+<partition> holds the offset below "
                            + "which that partition's records are all in complete objects; a restarted task skips them "
                            + "(exactly once even when batches are cut by the clock). Outside topics.dir, so readers of "
                            + "the archive never see them.",
                    G_FORMAT,
                    7,
                    ConfigDef.Width.MEDIUM,
                    "Offsets directory")
            .define(
                    PARTITIONER,
                    Type.STRING,
                    PartitionScheme.KAFKA_PARTITION.configValue(),
                    ConfigChoices.validator(PartitionScheme.class),
                    Importance.HIGH,
                    "kafka_partition: partition=<n>. field: <field>=<value> for "
                            + "each of " + PARTITION_FIELDS + ". time: " + PATH_FORMAT
                            + " applied to the record's timestamp "
                            + "(see " + TIMESTAMP_EXTRACTOR + ").",
                    G_PARTITION,
                    1,
                    ConfigDef.Width.SHORT,
                    "Partitioner",
                    ConfigChoices.recommender(PartitionScheme.class))
            .define(
                    PARTITION_FIELDS,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Fields (dotted paths into nested " + "records) the field partitioner uses, in order.",
                    G_PARTITION,
                    2,
                    ConfigDef.Width.LONG,
                    "Fields")
            .define(
                    PATH_FORMAT,
                    Type.STRING,
                    "'dt'=yyyy-MM-dd/'hr'=HH",
                    Importance.MEDIUM,
                    "java.time " + "DateTimeFormatter pattern of the time partitioner's path.",
                    G_PARTITION,
                    3,
                    ConfigDef.Width.MEDIUM,
                    "Path format")
            .define(
                    TIMEZONE,
                    Type.STRING,
                    "UTC",
                    Importance.MEDIUM,
                    "Time zone of " + PATH_FORMAT + ".",
                    G_PARTITION,
                    4,
                    ConfigDef.Width.SHORT,
                    "Time zone")
            .define(
                    TIMESTAMP_EXTRACTOR,
                    Type.STRING,
                    TimestampSource.RECORD.configValue(),
                    ConfigChoices.validator(TimestampSource.class),
                    Importance.MEDIUM,
                    "Where a record's time comes from, for the time partitioner "
                            + "and " + "rotate.interval.ms: Record (the Kafka record timestamp) or RecordField ("
                            + TIMESTAMP_FIELD
                            + ": epoch millis, a timestamp or an ISO-8601 string). Both are deterministic on replay.",
                    G_PARTITION,
                    5,
                    ConfigDef.Width.SHORT,
                    "Timestamp extractor",
                    ConfigChoices.recommender(TimestampSource.class))
            .define(
                    TIMESTAMP_FIELD,
                    Type.STRING,
                    "received_at",
                    Importance.MEDIUM,
                    "The value's field (dotted path) " + "holding the event time for RecordField.",
                    G_PARTITION,
                    6,
                    ConfigDef.Width.MEDIUM,
                    "Timestamp field")
            .define(
                    FLUSH_SIZE,
                    Type.INT,
                    10_000,
                    Range.atLeast(1),
                    Importance.HIGH,
                    "Records per Kafka partition " + "after which its open files are completed (deterministic).",
                    G_ROTATION,
                    1,
                    ConfigDef.Width.SHORT,
                    "Flush size")
            .define(
                    ROTATE_INTERVAL,
                    Type.LONG,
                    -1L,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    "Complete a Kafka "
                            + "partition's files when a record's time is this far past the time of their first record "
                            + "(record times, so deterministic); -1 off.",
                    G_ROTATION,
                    2,
                    ConfigDef.Width.SHORT,
                    "Rotate interval")
            .define(
                    ROTATE_SCHEDULE,
                    Type.LONG,
                    -1L,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    "Complete files open "
                            + "longer than this on the wall clock, so a quiet partition still reaches S3; -1 off. Cuts by "
                            + "the clock, exactly once all the same (progress objects, see offsets.dir).",
                    G_ROTATION,
                    3,
                    ConfigDef.Width.SHORT,
                    "Rotate schedule")
            .define(
                    ROTATE_BYTES,
                    Type.LONG,
                    -1L,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    "Complete a Kafka "
                            + "partition's files when one of them holds this many bytes before compression "
                            + "(deterministic); -1 off.",
                    G_ROTATION,
                    4,
                    ConfigDef.Width.SHORT,
                    "Rotate size")
            .define(
                    MAX_OPEN_FILES,
                    Type.INT,
                    100,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Open files per task; a record "
                            + "that would open one more first completes every open file of the task.",
                    G_ROTATION,
                    5,
                    ConfigDef.Width.SHORT,
                    "Max open files")
            .define(
                    MAX_BUFFERED,
                    Type.LONG,
                    256L * 1024 * 1024,
                    Range.atLeast(1024 * 1024),
                    Importance.LOW,
                    "Bytes a task may buffer (parts not yet uploaded); past it every open file is completed early, "
                            + "so memory stays bounded on a backlog.",
                    G_ROTATION,
                    6,
                    ConfigDef.Width.SHORT,
                    "Max buffered bytes")
            .define(
                    REGISTRY_URL,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Schema registry URL(s), comma-separated: "
                            + "needed to write Confluent-framed Avro as Avro files (writer schema by id) or as JSON Lines. "
                            + "basic.auth.credentials.source / basic.auth.user.info are passed on as the serde reads them.",
                    G_REGISTRY,
                    1,
                    ConfigDef.Width.LONG,
                    "Registry URL");

    /** A cross-key rule broken: the key it is reported on, the value as shown (secrets hidden), and why. */
    public record Problem(String key, String shownValue, String message) {
        /** Connect's wording: {@code Invalid value <value> for configuration <key>: <message>}. */
        public String text() {
            return new ConfigException(key, shownValue, message).getMessage();
        }
    }

    /** Parses and checks {@code originals}; the first broken cross-key rule is thrown as a ConfigException. */
    public S3SinkConfig(Map<?, ?> originals) {
        super(CONFIG, originals);
        List<Problem> problems = problems();
        if (!problems.isEmpty()) {
            Problem first = problems.get(0);
            throw new ConfigException(first.key(), first.shownValue(), first.message());
        }
    }

    private S3SinkConfig(Map<?, ?> originals, boolean unchecked) {
        super(CONFIG, originals);
    }

    /**
     * Every cross-key rule {@code originals} breaks, each on its key, for Connect's validate; assumes each key's own
     * value already passed its {@link ConfigDef} validator (a value that does not parse is thrown as there).
     */
    public static List<Problem> problems(Map<?, ?> originals) {
        return new S3SinkConfig(originals, true).problems();
    }

    private List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (partitioner() == PartitionScheme.FIELD && partitionFields().isEmpty()) {
            problems.add(new Problem(PARTITION_FIELDS, "", "the field partitioner needs at least one field"));
        }
        if (partitioner() == PartitionScheme.TIME) {
            try {
                DateTimeFormatter.ofPattern(getString(PATH_FORMAT), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(
                        PATH_FORMAT, getString(PATH_FORMAT), "not a DateTimeFormatter pattern: " + e.getMessage()));
            }
        }
        try {
            ZoneId.of(getString(TIMEZONE));
        } catch (RuntimeException e) {
            problems.add(new Problem(TIMEZONE, getString(TIMEZONE), "unknown time zone"));
        }
        if (timestampFromField() && getString(TIMESTAMP_FIELD).isBlank()) {
            problems.add(new Problem(TIMESTAMP_FIELD, "", "RecordField needs a field"));
        }
        if (!getString(ACCESS_KEY).isEmpty() && getPassword(SECRET_KEY).value().isEmpty()) {
            problems.add(new Problem(SECRET_KEY, "[hidden]", "a static access key needs its secret key"));
        }
        if (!getString(ENDPOINT).isEmpty() && !getString(ENDPOINT).matches("https?://.+")) {
            problems.add(new Problem(ENDPOINT, getString(ENDPOINT), "must be an http(s) URL"));
        }
        return problems;
    }

    public String bucket() {
        return getString(BUCKET);
    }

    public Format format() {
        return ConfigChoices.parse(Format.class, FORMAT, getString(FORMAT));
    }

    public AvroCodec avroCodec() {
        return ConfigChoices.parse(AvroCodec.class, AVRO_CODEC, getString(AVRO_CODEC));
    }

    public PartitionScheme partitioner() {
        return ConfigChoices.parse(PartitionScheme.class, PARTITIONER, getString(PARTITIONER));
    }

    public Encryption encryption() {
        return ConfigChoices.parse(Encryption.class, SSE, getString(SSE));
    }

    public List<String> partitionFields() {
        return getList(PARTITION_FIELDS);
    }

    public String topicsDir() {
        return strip(getString(TOPICS_DIR));
    }

    private static String strip(String dir) {
        while (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        return dir;
    }

    /** The key of a Kafka partition's progress object ({@link #OFFSETS_DIR}). */
    public String offsetsKey(String topic, int partition) {
        String dir = topicsDir();
        return strip(getString(OFFSETS_DIR)) + "/" + (dir.isEmpty() ? "" : dir + "/") + topic + "+" + partition;
    }

    public Password secretKey() {
        return getPassword(SECRET_KEY);
    }

    public boolean gzip() {
        return ConfigChoices.parse(Compression.class, COMPRESSION, getString(COMPRESSION)) == Compression.GZIP;
    }

    /** The separator of the bytes format, escapes resolved. */
    public byte[] bytesSeparator() {
        String s = getString(BYTES_SEPARATOR)
                .replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\t", "\t")
                .replace("\\0", "\0");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public boolean timestampFromField() {
        return ConfigChoices.parse(TimestampSource.class, TIMESTAMP_EXTRACTOR, getString(TIMESTAMP_EXTRACTOR))
                == TimestampSource.RECORD_FIELD;
    }
}

package io.chartpulse.batch;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.connect.s3.config.S3SinkConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The raw archive the S3 sink writes ({@code s3-raw-events}): Avro container files of {@code ChartEvent}s under
 * {@code <topics.dir>/<topic>/<path.format of received_at>/}. Its layout is read from the connector's own config
 * (through {@link S3SinkConfig}, so the keys, their defaults and their validation are the sink's), which must use
 * the time partitioner on {@code received_at} with the Avro format: then an hour of the archive is one prefix, and
 * an interval's raw events are the files under its hours' prefixes.
 */
public final class RawArchive implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;
    private final String root;
    private final DateTimeFormatter hourPath;
    private final String topic;
    private final IntFunction<String> progressKey;

    /** Opens the archive described by the resolved config of the S3 sink connector. */
    public static RawArchive open(Map<String, String> connectorConfig) {
        S3SinkConfig config = new S3SinkConfig(connectorConfig);
        String problem = null;
        if (config.partitioner() != S3SinkConfig.PartitionScheme.TIME) {
            problem = S3SinkConfig.PARTITIONER + " is " + config.partitioner().configValue() + ", not "
                    + S3SinkConfig.PartitionScheme.TIME.configValue();
        } else if (!config.timestampFromField()
                || !"received_at".equals(config.getString(S3SinkConfig.TIMESTAMP_FIELD))) {
            problem = "the archive must be partitioned by the field received_at (" + S3SinkConfig.TIMESTAMP_EXTRACTOR
                    + "=RecordField, " + S3SinkConfig.TIMESTAMP_FIELD + "=received_at)";
        } else if (config.format() != S3SinkConfig.Format.AVRO) {
            problem = S3SinkConfig.FORMAT + " is " + config.format().configValue() + ", not "
                    + S3SinkConfig.Format.AVRO.configValue();
        }
        if (problem != null) {
            throw new IllegalArgumentException("The raw archive cannot be read by interval: " + problem);
        }
        String key = config.getString(S3SinkConfig.ACCESS_KEY);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.getString(S3SinkConfig.REGION)))
                .forcePathStyle(config.getBoolean(S3SinkConfig.PATH_STYLE))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(
                        key.isEmpty()
                                ? DefaultCredentialsProvider.builder().build()
                                : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                        key, config.secretKey().value())));
        if (!config.getString(S3SinkConfig.ENDPOINT).isEmpty()) {
            builder.endpointOverride(URI.create(config.getString(S3SinkConfig.ENDPOINT)));
        }
        // "topics" is Connect's key, not the sink's: read it from the connector config itself.
        String topic = connectorConfig.getOrDefault("topics", "").split(",")[0].trim();
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("The raw archive's connector config names no topics");
        }
        String dir = config.topicsDir();
        String root = (dir.isEmpty() ? "" : dir + "/") + topic + "/";
        DateTimeFormatter hourPath = DateTimeFormatter.ofPattern(config.getString(S3SinkConfig.PATH_FORMAT))
                .withZone(ZoneId.of(config.getString(S3SinkConfig.TIMEZONE)));
        return new RawArchive(
                builder.build(), config.bucket(), root, hourPath, topic, p -> config.offsetsKey(topic, p));
    }

    RawArchive(
            S3Client s3,
            String bucket,
            String root,
            DateTimeFormatter hourPath,
            String topic,
            IntFunction<String> progressKey) {
        this.s3 = s3;
        this.bucket = bucket;
        this.root = root;
        this.hourPath = hourPath;
        this.topic = topic;
        this.progressKey = progressKey;
    }

    /** The topic the archive holds. */
    public String topic() {
        return topic;
    }

    /**
     * Where the sink's complete objects of Kafka partition {@code partition} end: every record below this offset is
     * in an object the sink will never write again (its progress object); 0 before the sink completed any.
     */
    public long complete(int partition) {
        String key = progressKey.apply(partition);
        try {
            String text = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key))
                    .asUtf8String()
                    .strip();
            return Long.parseLong(text);
        } catch (NoSuchKeyException e) {
            return 0;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "The S3 sink's progress object s3://" + bucket + "/" + key + " does not hold an offset");
        }
    }

    /** The Kafka partition and first offset of an archive object, from its name ({@code <topic>+<p>+<offset>.ext}). */
    public static long[] partitionAndOffset(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.indexOf('.', name.lastIndexOf('+'));
        String[] parts = (dot < 0 ? name : name.substring(0, dot)).split("\\+");
        if (parts.length < 3) {
            throw new IllegalArgumentException("Not an archive object name: " + key);
        }
        return new long[] {Long.parseLong(parts[parts.length - 2]), Long.parseLong(parts[parts.length - 1])};
    }

    /**
     * Rewrites one archive object without the records {@code drop} accepts, under the same key, in one PUT: a reader
     * gets either the old object or the new one, never part of either. The records kept are the same bytes in the
     * same order, written with the object's own writer schema, codec and metadata, and its server-side encryption.
     * Nothing is written when no record matches. Returns the records removed.
     */
    public long rewriteWithout(String key, Predicate<GenericRecord> drop) {
        ResponseBytes<GetObjectResponse> original =
                s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        List<GenericRecord> kept = new ArrayList<>();
        long removed = 0;
        Schema schema;
        Map<String, byte[]> meta = new LinkedHashMap<>();
        String codec;
        try (DataFileStream<GenericRecord> in =
                new DataFileStream<>(original.asInputStream(), new GenericDatumReader<>())) {
            schema = in.getSchema();
            for (String name : in.getMetaKeys()) {
                if (!name.startsWith("avro.")) {
                    meta.put(name, in.getMeta(name));
                }
            }
            codec = in.getMetaString("avro.codec");
            while (in.hasNext()) {
                GenericRecord record = in.next();
                if (drop.test(record)) {
                    removed++;
                } else {
                    kept.add(record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read s3://" + bucket + "/" + key, e);
        }
        if (removed == 0) {
            return 0;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> out = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            if (codec != null) {
                out.setCodec(CodecFactory.fromString(codec));
            }
            meta.forEach(out::setMeta);
            out.create(schema, bytes);
            for (GenericRecord record : kept) {
                out.append(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write s3://" + bucket + "/" + key, e);
        }
        GetObjectResponse was = original.response();
        s3.putObject(
                r -> {
                    r.bucket(bucket).key(key).contentType(was.contentType());
                    if (was.serverSideEncryption() != null) {
                        r.serverSideEncryption(was.serverSideEncryption()).ssekmsKeyId(was.ssekmsKeyId());
                    }
                },
                RequestBody.fromBytes(bytes.toByteArray()));
        return removed;
    }

    /** The bucket the archive is in. */
    public String bucket() {
        return bucket;
    }

    /** The S3 client, for writing reports beside the archive. */
    public S3Client s3() {
        return s3;
    }

    /** The archive's objects holding events received in {@code interval}, in key order. */
    public List<String> objects(Interval interval) {
        List<String> keys = new ArrayList<>();
        for (Interval hour : interval.hours()) {
            String prefix = root + hourPath.format(hour.start()) + "/";
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                            .bucket(bucket)
                            .prefix(prefix)
                            .build())
                    .contents()) {
                keys.add(o.key());
            }
        }
        keys.sort(null);
        return keys;
    }

    /** Calls {@code sink} with every event of the archive received in {@code interval}; returns how many. */
    public long events(Interval interval, Consumer<ChartEvent> sink) {
        long n = 0;
        for (String key : objects(interval)) {
            n += read(key, e -> {
                if (interval.contains(e.getReceivedAt())) {
                    sink.accept(e);
                }
            });
        }
        return n;
    }

    /** Reads one archive file, resolving its writer schema into the current {@code ChartEvent}. */
    long read(String key, Consumer<ChartEvent> sink) {
        long n = 0;
        try (ResponseInputStream<GetObjectResponse> in =
                        s3.getObject(r -> r.bucket(bucket).key(key));
                DataFileStream<ChartEvent> file =
                        new DataFileStream<>(in, new SpecificDatumReader<>(ChartEvent.class))) {
            while (file.hasNext()) {
                sink.accept(file.next());
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read s3://" + bucket + "/" + key, e);
        }
        return n;
    }

    @Override
    public void close() {
        s3.close();
    }
}

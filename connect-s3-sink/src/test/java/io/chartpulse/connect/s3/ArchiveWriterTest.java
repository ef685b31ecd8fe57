package io.chartpulse.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.connect.s3.format.FieldReader;
import io.chartpulse.connect.s3.format.FileFormat;
import io.chartpulse.connect.s3.partition.Partitioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/** The writer's naming, partitioning and rotation decisions, and its resumption after S3 errors. */
class ArchiveWriterTest {

    private static final TopicPartition TP = new TopicPartition("raw", 3);
    private final MemoryStorage s3 = new MemoryStorage();
    private final List<SinkRecord> bad = new ArrayList<>();
    private long now = 1_000_000;

    private ArchiveWriter writer(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(S3SinkConfig.BUCKET, "lake", S3SinkConfig.FORMAT, "bytes"));
        props.putAll(overrides);
        S3SinkConfig config = new S3SinkConfig(props);
        FieldReader fields = new FieldReader(null);
        Partitioner.RecordTime time = Partitioner.RecordTime.create(config, fields);
        ArchiveWriter writer = new ArchiveWriter(
                config,
                s3,
                FileFormat.create(config, null),
                Partitioner.create(config, fields, time),
                time,
                () -> now,
                (open, buffered) -> new SinkMetrics(null, open, buffered));
        writer.open(List.of(TP));
        return writer;
    }

    private static SinkRecord bytes(long offset, long timestamp) {
        return new SinkRecord(
                TP.topic(),
                TP.partition(),
                Schema.STRING_SCHEMA,
                "k",
                Schema.BYTES_SCHEMA,
                ("v" + offset).getBytes(StandardCharsets.UTF_8),
                offset,
                timestamp,
                TimestampType.CREATE_TIME);
    }

    private static List<SinkRecord> range(long from, long to) {
        List<SinkRecord> records = new ArrayList<>();
        for (long o = from; o < to; o++) {
            records.add(bytes(o, 1_700_000_000_000L + o * 1000));
        }
        return records;
    }

    private void write(ArchiveWriter writer, List<SinkRecord> records) throws Exception {
        writer.write(records, (r, e) -> bad.add(r));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void namesObjectsByFirstOffsetAndCommitsOnlyCompletedRecords() throws Exception {
        ArchiveWriter writer = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "10", S3SinkConfig.TOPICS_DIR, "archive/"));
        write(writer, range(0, 25));
        assertThat(s3.objects.keySet())
                .containsExactly(
                        "archive/raw/partition=3/raw+3+0000000000.bin", "archive/raw/partition=3/raw+3+0000000010.bin");
        assertThat(text(s3.objects.get("archive/raw/partition=3/raw+3+0000000010.bin")))
                .isEqualTo("v10\nv11\nv12\nv13\nv14\nv15\nv16\nv17\nv18\nv19\n");
        assertThat(writer.committable()).containsEntry(TP, 20L);
        assertThat(writer.openFiles()).isEqualTo(1);
        assertThat(writer.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.RECORDS, 2L));
    }

    @Test
    void aRedeliveredBatchIsSkippedAndAReplayRewritesTheSameObjects() throws Exception {
        ArchiveWriter first = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "10"));
        write(first, range(0, 25));
        write(first, range(15, 25));
        write(first, range(25, 35));
        assertThat(text(s3.objects.get("topics/raw/partition=3/raw+3+0000000020.bin")))
                .isEqualTo("v20\nv21\nv22\nv23\nv24\nv25\nv26\nv27\nv28\nv29\n");
        assertThat(text(s3.state.get("_offsets/topics/raw+3"))).isEqualTo("30\n");
        Map<String, byte[]> before = new HashMap<>(s3.objects);
        // A new task after a crash starts from the last committed offset (10 here, say): what the progress object
        // covers is skipped, the batch that was in flight (30..34) is written under its own first offset.
        ArchiveWriter replay = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "10"));
        int putsBefore = s3.putCalls;
        write(replay, range(10, 40));
        assertThat(s3.putCalls - putsBefore).as("objects written again").isEqualTo(1);
        assertThat(s3.objects.keySet()).containsAll(before.keySet()).hasSize(before.size() + 1);
        before.forEach((key, content) -> assertThat(s3.objects.get(key)).as(key).isEqualTo(content));
        assertThat(text(s3.objects.get("topics/raw/partition=3/raw+3+0000000030.bin")))
                .isEqualTo("v30\nv31\nv32\nv33\nv34\nv35\nv36\nv37\nv38\nv39\n");
        // Without progress (a task of an older version wrote the archive), the same records form the same objects.
        s3.state.clear();
        ArchiveWriter older = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "10"));
        Map<String, byte[]> all = new HashMap<>(s3.objects);
        write(older, range(10, 40));
        assertThat(s3.objects.keySet()).isEqualTo(all.keySet());
        all.forEach((key, content) -> assertThat(s3.objects.get(key)).as(key).isEqualTo(content));
    }

    @Test
    void aTaskTakingOverWritesNothingTwiceEvenWhenTheClockCutTheBatches() throws Exception {
        Map<String, String> settings = Map.of(S3SinkConfig.FLUSH_SIZE, "1000", S3SinkConfig.ROTATE_SCHEDULE, "60000");
        ArchiveWriter first = writer(settings);
        write(first, range(0, 5));
        now += 60_000;
        write(first, range(5, 8));
        now += 60_000;
        write(first, range(8, 10));
        assertThat(s3.objects.keySet())
                .containsExactly(
                        "topics/raw/partition=3/raw+3+0000000000.bin", "topics/raw/partition=3/raw+3+0000000005.bin");
        // The worker dies before any offset commit: the next task gets everything from offset 0 again, at once, so
        // the clock would cut its batches elsewhere (0..9 in one), leaving 5..7 in two objects.
        ArchiveWriter next = writer(settings);
        write(next, range(0, 10));
        now += 60_000;
        write(next, List.of());
        List<String> archived = new ArrayList<>();
        s3.objects.values().forEach(o -> archived.addAll(List.of(text(o).split("\n"))));
        assertThat(archived).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        assertThat(s3.objects).containsKey("topics/raw/partition=3/raw+3+0000000008.bin");
        assertThat(next.committable()).containsEntry(TP, 10L);
    }

    @Test
    void aFailedProgressWriteIsRetriedAndAnUnreadableOneNamesItsKey() throws Exception {
        ArchiveWriter writer = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "5"));
        s3.failStateWritesNext = 1;
        assertThatThrownBy(() -> write(writer, range(0, 5))).isInstanceOf(SdkException.class);
        assertThat(s3.objects).containsOnlyKeys("topics/raw/partition=3/raw+3+0000000000.bin");
        assertThat(s3.state).isEmpty();
        write(writer, range(0, 5));
        assertThat(text(s3.state.get("_offsets/topics/raw+3"))).isEqualTo("5\n");
        assertThat(writer.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.RECORDS, 1L));
        assertThat(s3.putCalls).as("the object is not written again").isEqualTo(1);

        s3.state.put("_offsets/topics/raw+3", "five".getBytes(StandardCharsets.UTF_8));
        ArchiveWriter next = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "5"));
        assertThatThrownBy(() -> write(next, range(5, 6)))
                .hasMessageContaining("s3://lake/_offsets/topics/raw+3")
                .hasMessageContaining("'five'");
    }

    @Test
    void timePartitionsByRecordTimeAndRotatesOnTheRecordTimeSpan() throws Exception {
        ArchiveWriter writer = writer(Map.of(
                S3SinkConfig.PARTITIONER,
                "time",
                S3SinkConfig.PATH_FORMAT,
                "'dt'=yyyy-MM-dd/'hr'=HH",
                S3SinkConfig.ROTATE_INTERVAL,
                "3600000",
                S3SinkConfig.FLUSH_SIZE,
                "1000"));
        long t0 = Instant.parse("2026-11-26T09:59:59Z").toEpochMilli();
        write(writer, List.of(bytes(0, t0), bytes(1, t0 + 1000), bytes(2, t0 + 3_600_000), bytes(3, t0 + 3_600_001)));
        assertThat(s3.objects.keySet())
                .containsExactly(
                        "topics/raw/dt=2026-11-26/hr=09/raw+3+0000000000.bin",
                        "topics/raw/dt=2026-11-26/hr=10/raw+3+0000000001.bin");
        assertThat(writer.committable()).containsEntry(TP, 2L);
        assertThat(writer.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.INTERVAL, 1L));
    }

    @Test
    void fieldPartitionerUsesNestedFieldsAndBadRecordsAreReported() throws Exception {
        Schema value = SchemaBuilder.struct()
                .name("Event")
                .field(
                        "chart",
                        SchemaBuilder.struct()
                                .name("Chart")
                                .field("chart_id", Schema.STRING_SCHEMA)
                                .optional()
                                .build())
                .build();
        ArchiveWriter writer = writer(Map.of(
                S3SinkConfig.FORMAT,
                "jsonl",
                S3SinkConfig.PARTITIONER,
                "field",
                S3SinkConfig.PARTITION_FIELDS,
                "chart.chart_id",
                S3SinkConfig.FLUSH_SIZE,
                "2"));
        Struct a =
                new Struct(value).put("chart", new Struct(value.field("chart").schema()).put("chart_id", "tv/oled"));
        write(
                writer,
                List.of(
                        new SinkRecord("raw", 3, null, null, value, a, 0),
                        new SinkRecord("raw", 3, null, null, null, null, 1),
                        new SinkRecord("raw", 3, null, null, value, a, 2)));
        assertThat(s3.objects).containsOnlyKeys("topics/raw/chart.chart_id=tv_oled/raw+3+0000000000.jsonl");
        assertThat(text(s3.objects.values().iterator().next()))
                .isEqualTo("{\"chart\":{\"chart_id\":\"tv/oled\"}}\n{\"chart\":{\"chart_id\":\"tv/oled\"}}\n");
        assertThat(bad).extracting(SinkRecord::kafkaOffset).containsExactly(1L);
        assertThat(writer.committable()).containsEntry(TP, 3L);
    }

    @Test
    void anS3FailureWhileCompletingIsResumedWithoutLossOrDuplicates() throws Exception {
        ArchiveWriter writer = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "5"));
        s3.failNext = 1;
        assertThatThrownBy(() -> write(writer, range(0, 12))).isInstanceOf(SdkException.class);
        assertThat(writer.committable()).containsEntry(TP, 0L);
        // The worker redelivers the same batch: the written records are skipped, the pending object completed.
        write(writer, range(0, 12));
        assertThat(s3.objects.keySet())
                .containsExactly(
                        "topics/raw/partition=3/raw+3+0000000000.bin", "topics/raw/partition=3/raw+3+0000000005.bin");
        assertThat(text(s3.objects.get("topics/raw/partition=3/raw+3+0000000000.bin")))
                .isEqualTo("v0\nv1\nv2\nv3\nv4\n");
        assertThat(writer.committable()).containsEntry(TP, 10L);
    }

    @Test
    void largeFilesGoUpInPartsAndClosingAbortsTheUpload() throws Exception {
        ArchiveWriter writer = writer(
                Map.of(S3SinkConfig.FLUSH_SIZE, "100000", S3SinkConfig.PART_SIZE, String.valueOf(5 * 1024 * 1024)));
        byte[] big = new byte[1024 * 1024];
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(new SinkRecord("raw", 3, null, null, Schema.BYTES_SCHEMA, big, i));
        }
        write(writer, records);
        // Two full parts went to the uploader; the third is still being written.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            synchronized (s3) {
                assertThat(s3.uploads).hasSize(1);
                assertThat(s3.uploads.values().iterator().next()).hasSize(2).doesNotContainNull();
            }
            assertThat(writer.buffered()).isLessThan(5L * 1024 * 1024);
        });
        writer.close(List.of(TP));
        assertThat(s3.aborted).containsExactly("topics/raw/partition=3/raw+3+0000000000.bin");
        assertThat(s3.objects).isEmpty();
    }

    @Test
    void aPartThatFailedInTheBackgroundIsUploadedAgainOnCompletion() throws Exception {
        ArchiveWriter writer =
                writer(Map.of(S3SinkConfig.FLUSH_SIZE, "12", S3SinkConfig.PART_SIZE, String.valueOf(5 * 1024 * 1024)));
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] value = new byte[1024 * 1024];
            Arrays.fill(value, (byte) i);
            records.add(new SinkRecord("raw", 3, null, null, Schema.BYTES_SCHEMA, value, i));
        }
        s3.failPartsNext = 1;
        write(writer, records);
        byte[] object = s3.objects.get("topics/raw/partition=3/raw+3+0000000000.bin");
        assertThat(object).hasSize(12 * (1024 * 1024 + 1));
        for (int i = 0; i < 12; i++) {
            assertThat(object[i * (1024 * 1024 + 1)]).as("record " + i).isEqualTo((byte) i);
            assertThat(object[i * (1024 * 1024 + 1) + 1024 * 1024]).isEqualTo((byte) '\n');
        }
        assertThat(writer.committable()).containsEntry(TP, 12L);
    }

    @Test
    void scheduledRotationCompletesAQuietPartition() throws Exception {
        ArchiveWriter writer = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "1000", S3SinkConfig.ROTATE_SCHEDULE, "60000"));
        write(writer, range(0, 3));
        assertThat(s3.objects).isEmpty();
        now += 60_000;
        write(writer, List.of());
        assertThat(s3.objects).containsOnlyKeys("topics/raw/partition=3/raw+3+0000000000.bin");
        assertThat(writer.committable()).containsEntry(TP, 3L);
        assertThat(writer.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.SCHEDULE, 1L));
    }

    @Test
    void rotatesOnBytesAndCompletesEverythingWhenTooManyFilesWouldBeOpen() throws Exception {
        ArchiveWriter bySize = writer(Map.of(S3SinkConfig.FLUSH_SIZE, "1000", S3SinkConfig.ROTATE_BYTES, "8"));
        write(bySize, range(0, 5));
        // "v0\nv1\nv2\n" reaches 8 bytes at the third record: the first object holds offsets 0-2.
        assertThat(text(s3.objects.get("topics/raw/partition=3/raw+3+0000000000.bin")))
                .isEqualTo("v0\nv1\nv2\n");
        assertThat(bySize.committable()).containsEntry(TP, 3L);
        assertThat(bySize.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.BYTES, 1L));

        // Another archive of the same partition: objects and progress start afresh.
        s3.objects.clear();
        s3.state.clear();
        ArchiveWriter fewFiles = writer(Map.of(
                S3SinkConfig.FLUSH_SIZE,
                "1000",
                S3SinkConfig.PARTITIONER,
                "time",
                S3SinkConfig.PATH_FORMAT,
                "'m'=mm",
                S3SinkConfig.MAX_OPEN_FILES,
                "2"));
        long t0 = Instant.parse("2026-11-26T09:00:00Z").toEpochMilli();
        write(fewFiles, List.of(bytes(0, t0), bytes(1, t0 + 60_000), bytes(2, t0 + 120_000)));
        // A third path would be a third open file: the two open ones are completed first.
        assertThat(s3.objects.keySet())
                .containsExactly("topics/raw/m=00/raw+3+0000000000.bin", "topics/raw/m=01/raw+3+0000000001.bin");
        assertThat(fewFiles.openFiles()).isEqualTo(1);
        assertThat(fewFiles.committable()).containsEntry(TP, 2L);
        assertThat(fewFiles.rotations()).isEqualTo(Map.of(ArchiveWriter.Rotation.OPEN_FILES, 1L));
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> writer(Map.of(S3SinkConfig.PARTITIONER, "field")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.PARTITION_FIELDS);
        assertThatThrownBy(() -> writer(Map.of(S3SinkConfig.PARTITIONER, "time", S3SinkConfig.PATH_FORMAT, "'dt=yyyy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.PATH_FORMAT);
        assertThatThrownBy(() -> writer(Map.of(S3SinkConfig.FORMAT, "parquet")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.FORMAT);
        assertThatThrownBy(() -> writer(Map.of(S3SinkConfig.ACCESS_KEY, "AKIA")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.SECRET_KEY);
    }
}

package io.chartpulse.connect.s3;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.connect.s3.format.FileFormat;
import io.chartpulse.connect.s3.partition.Partitioner;
import io.chartpulse.connect.s3.storage.PartStream;
import io.chartpulse.connect.s3.storage.S3Storage;
import io.chartpulse.connect.s3.storage.Uploader;
import io.chartpulse.serde.registry.RegistryRestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's files: for each Kafka partition, the files open for its records (one per partition path), and the
 * decisions when to complete them. All files of a Kafka partition are completed together, so the partition's
 * committable offset is simply where its current batch started ({@link #committable}).
 *
 * <p>Exactly once: an object's key is fixed by the offset of its first record, and after each completed batch the
 * partition's progress object ({@link S3SinkConfig#offsetsKey}) records the offset below which everything is in
 * complete objects. A task that takes a partition over reads it first and skips the records it covers, so objects
 * completed after the last offset commit are never written again under other keys, whatever cut the batches: the
 * record-driven rules (flush.size, record time span, bytes, schema change) or the clock and memory ones
 * (rotate.schedule.interval.ms, max.open.files.per.task, max.buffered.bytes.per.task). A batch in flight at a crash
 * is written again from its first offset, under the same keys. See the README.
 */
final class ArchiveWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);

    /** Why a partition's batch was completed; each completion is logged at DEBUG with its reason and counted. */
    enum Rotation {
        /** Completing a batch whose completion failed in the previous call. */
        RESUME("resuming a completion that failed"),
        /** rotate.schedule.interval.ms of wall clock since the batch's first record. */
        SCHEDULE(S3SinkConfig.ROTATE_SCHEDULE + " elapsed"),
        /** The record's schema differs from its open file's. */
        SCHEMA_CHANGE("the schema changed"),
        /** The record's time is rotate.interval.ms or more after the batch's first record's. */
        INTERVAL(S3SinkConfig.ROTATE_INTERVAL + " of record time spanned"),
        /** flush.size records in the batch. */
        RECORDS(S3SinkConfig.FLUSH_SIZE + " reached"),
        /** The file reached rotate.size.bytes. */
        BYTES(S3SinkConfig.ROTATE_BYTES + " reached"),
        /** A new file would exceed max.open.files.per.task (every batch of the task is completed). */
        OPEN_FILES(S3SinkConfig.MAX_OPEN_FILES + " reached"),
        /** The task's buffers exceed max.buffered.bytes.per.task (every batch of the task is completed). */
        MEMORY(S3SinkConfig.MAX_BUFFERED + " exceeded");

        private final String reason;

        Rotation(String reason) {
            this.reason = reason;
        }

        @Override
        public String toString() {
            return reason;
        }
    }

    /** Where records the sink cannot write go (the errant record reporter, or failure). */
    @FunctionalInterface
    interface BadRecords {
        void report(SinkRecord record, Exception error);
    }

    private final S3SinkConfig config;
    private final S3Storage s3;
    private final FileFormat format;
    private final Partitioner partitioner;
    private final Partitioner.RecordTime time;
    private final boolean needsTime;
    private final LongSupplier clock;
    private final SinkMetrics metrics;
    private final Uploader uploader = new Uploader(2, 4);
    private final Map<TopicPartition, Batch> batches = new HashMap<>();
    private final int partSize;
    private final int flushSize;
    private final long rotateInterval;
    private final long rotateSchedule;
    private final long rotateBytes;
    private final int maxOpenFiles;
    private final long maxBuffered;
    private int sinceMemoryCheck;

    /** One Kafka partition's open files. */
    private static final class Batch {
        final TopicPartition partition;
        final LinkedHashMap<String, OpenFile> files = new LinkedHashMap<>();
        long nextOffset = -1;
        int count;
        long firstTime;
        long openedAt;
        boolean completing;
        boolean progressRead;

        Batch(TopicPartition partition) {
            this.partition = partition;
        }
    }

    private final Map<Rotation, Long> rotations = new EnumMap<>(Rotation.class);

    ArchiveWriter(
            S3SinkConfig config,
            S3Storage s3,
            FileFormat format,
            Partitioner partitioner,
            Partitioner.RecordTime time,
            LongSupplier clock,
            SinkMetricsFactory metrics) {
        this.config = config;
        this.s3 = s3;
        this.format = format;
        this.partitioner = partitioner;
        this.time = time;
        this.clock = clock;
        this.partSize = config.getInt(S3SinkConfig.PART_SIZE);
        this.flushSize = config.getInt(S3SinkConfig.FLUSH_SIZE);
        this.rotateInterval = config.getLong(S3SinkConfig.ROTATE_INTERVAL);
        this.rotateSchedule = config.getLong(S3SinkConfig.ROTATE_SCHEDULE);
        this.rotateBytes = config.getLong(S3SinkConfig.ROTATE_BYTES);
        this.maxOpenFiles = config.getInt(S3SinkConfig.MAX_OPEN_FILES);
        this.maxBuffered = config.getLong(S3SinkConfig.MAX_BUFFERED);
        this.needsTime = rotateInterval > 0;
        this.metrics = metrics.create(this::openFiles, this::buffered);
    }

    /** Builds the metrics once the writer can report its gauges. */
    @FunctionalInterface
    interface SinkMetricsFactory {
        SinkMetrics create(LongSupplier openFiles, LongSupplier bufferedBytes);
    }

    void open(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> batches.computeIfAbsent(tp, Batch::new));
    }

    /** Drops the partitions' open files (their records come again to whoever owns the partition next). */
    void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Batch batch = batches.remove(tp);
            if (batch != null) {
                batch.files.values().forEach(f -> abortQuietly(f));
            }
        }
    }

    /**
     * Writes the records. Records at offsets already written (a batch the worker redelivers after a retriable error)
     * are skipped. S3 and registry errors are thrown as they are; what was done stays done, and the next call
     * resumes (first completing a batch whose completion failed).
     */
    void write(Collection<SinkRecord> records, BadRecords bad) throws IOException {
        long now = clock.getAsLong();
        for (Batch batch : batches.values()) {
            if (batch.completing) {
                complete(batch, Rotation.RESUME);
            } else if (scheduleElapsed(batch, now)) {
                complete(batch, Rotation.SCHEDULE);
            }
        }
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            Batch batch = batches.computeIfAbsent(tp, Batch::new);
            if (!batch.progressRead) {
                readProgress(batch);
            }
            if (batch.nextOffset >= 0 && record.kafkaOffset() < batch.nextOffset) {
                continue;
            }
            write(batch, record, now, bad);
        }
        for (Batch batch : batches.values()) {
            for (OpenFile file : batch.files.values()) {
                file.uploadPending(s3, uploader, metrics);
            }
        }
    }

    /**
     * Reads where the partition's complete objects end (written by whichever task completed its last batch): records
     * below it are skipped. Before the first record of a partition, so an S3 error here is retried like any other.
     */
    private void readProgress(Batch batch) {
        String key = config.offsetsKey(batch.partition.topic(), batch.partition.partition());
        byte[] content = s3.getState(key);
        if (content != null) {
            String text = new String(content, StandardCharsets.UTF_8).strip();
            long complete;
            try {
                complete = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ConnectException("S3 sink: the progress object s3://" + config.bucket() + "/" + key
                        + " should hold an offset but holds '" + text + "'; delete it to archive " + batch.partition
                        + " again from the committed offset");
            }
            if (complete > batch.nextOffset) {
                LOG.info(
                        "{}: complete objects end at offset {} ({}); records before it are skipped",
                        batch.partition,
                        complete,
                        key);
                batch.nextOffset = complete;
            }
        }
        batch.progressRead = true;
    }

    private void write(Batch batch, SinkRecord record, long now, BadRecords bad) throws IOException {
        Object schemaKey;
        String path;
        long t;
        try {
            schemaKey = format.schemaKey(record);
            path = partitioner.path(record);
            t = needsTime ? time.of(record) : 0L;
        } catch (DataException | RegistryRestException e) {
            skip(batch, record, bad, e);
            return;
        }
        OpenFile file = batch.files.get(path);
        if (file != null && !file.schemaKey.equals(schemaKey)) {
            complete(batch, Rotation.SCHEMA_CHANGE);
            file = null;
        }
        if (intervalSpanned(batch, t)) {
            complete(batch, Rotation.INTERVAL);
            file = null;
        }
        if (file == null) {
            if (openFiles() >= maxOpenFiles) {
                completeAll(Rotation.OPEN_FILES);
            }
            PartStream stream = new PartStream(partSize);
            String key = key(record, path);
            try {
                file = new OpenFile(key, record.kafkaOffset(), schemaKey, stream, format.open(stream, record));
            } catch (DataException | RegistryRestException e) {
                skip(batch, record, bad, e);
                return;
            }
            batch.files.put(path, file);
        }
        try {
            file.writer().write(record);
        } catch (DataException e) {
            if (file.records() == 0) {
                batch.files.remove(path);
            }
            skip(batch, record, bad, e);
            return;
        }
        file.counted();
        if (batch.count == 0) {
            batch.firstTime = t;
            batch.openedAt = now;
        }
        batch.count++;
        batch.nextOffset = record.kafkaOffset() + 1;
        if (batch.count >= flushSize) {
            complete(batch, Rotation.RECORDS);
        } else if (bytesReached(file)) {
            complete(batch, Rotation.BYTES);
        } else if (++sinceMemoryCheck >= 256 || file.stream.buffered() >= partSize) {
            sinceMemoryCheck = 0;
            if (buffered() > maxBuffered) {
                completeAll(Rotation.MEMORY);
            }
        }
    }

    /** A record the sink cannot write: reported (to the errant record reporter, or as the task's failure), then passed. */
    private static void skip(Batch batch, SinkRecord record, BadRecords bad, Exception error) {
        bad.report(record, error);
        batch.nextOffset = record.kafkaOffset() + 1;
    }

    private boolean scheduleElapsed(Batch batch, long now) {
        return rotateSchedule > 0 && batch.count > 0 && now - batch.openedAt >= rotateSchedule;
    }

    private boolean intervalSpanned(Batch batch, long recordTime) {
        return needsTime && batch.count > 0 && recordTime - batch.firstTime >= rotateInterval;
    }

    private boolean bytesReached(OpenFile file) {
        return rotateBytes > 0 && file.stream.total() >= rotateBytes;
    }

    private String key(SinkRecord record, String path) {
        String dir = config.topicsDir();
        String name = record.topic() + "+" + record.kafkaPartition() + "+"
                + String.format("%0" + config.getInt(S3SinkConfig.PAD_WIDTH) + "d", record.kafkaOffset())
                + "." + format.extension();
        return (dir.isEmpty() ? "" : dir + "/") + record.topic() + "/" + path + "/" + name;
    }

    private void completeAll(Rotation why) throws IOException {
        for (Batch batch : batches.values()) {
            complete(batch, why);
        }
    }

    // Completes every file of the batch, then records the partition's progress; a failure in either leaves the batch
    // completing, and the next call resumes where it stopped.
    private void complete(Batch batch, Rotation why) throws IOException {
        if (batch.files.isEmpty() && !batch.completing) {
            batch.count = 0;
            return;
        }
        if (!batch.files.isEmpty()) {
            LOG.debug(
                    "Completing {} file(s) of {} ({} records): {}",
                    batch.files.size(),
                    batch.partition,
                    batch.count,
                    why);
            rotations.merge(why, 1L, Long::sum);
        }
        batch.completing = true;
        Iterator<OpenFile> files = batch.files.values().iterator();
        while (files.hasNext()) {
            files.next().complete(s3, uploader, metrics);
            files.remove();
        }
        s3.putState(
                config.offsetsKey(batch.partition.topic(), batch.partition.partition()),
                (batch.nextOffset + "\n").getBytes(StandardCharsets.UTF_8));
        batch.completing = false;
        batch.count = 0;
    }

    /**
     * The offsets safe to commit: for each partition, the first record not yet in a completed object (where its open
     * batch starts), or the offset after the last record handled when nothing is open.
     */
    Map<TopicPartition, Long> committable() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        batches.forEach((tp, batch) -> {
            long offset = batch.files.values().stream()
                    .mapToLong(f -> f.startOffset)
                    .min()
                    .orElse(batch.nextOffset);
            if (offset >= 0) {
                offsets.put(tp, offset);
            }
        });
        return offsets;
    }

    /** How many batch completions each rotation caused, since the writer started. */
    Map<Rotation, Long> rotations() {
        return Map.copyOf(rotations);
    }

    SinkMetrics metrics() {
        return metrics;
    }

    long openFiles() {
        return batches.values().stream().mapToLong(b -> b.files.size()).sum();
    }

    long buffered() {
        return batches.values().stream()
                .flatMap(b -> b.files.values().stream())
                .mapToLong(f -> f.stream.buffered() + f.inFlightBytes())
                .sum();
    }

    private void abortQuietly(OpenFile file) {
        try {
            file.abort(s3);
        } catch (RuntimeException e) {
            // An upload left behind is removed by the bucket's lifecycle rule for incomplete uploads (README).
            LOG.warn("Could not abort the upload of {}: {}", file.key, e.toString());
        }
    }

    @Override
    public void close() {
        close(List.copyOf(batches.keySet()));
        uploader.close();
        s3.close();
    }
}

package io.chartpulse.connect.s3;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.connect.s3.format.FieldReader;
import io.chartpulse.connect.s3.format.FileFormat;
import io.chartpulse.connect.s3.partition.Partitioner;
import io.chartpulse.connect.s3.storage.AwsS3Storage;
import io.chartpulse.connect.s3.storage.S3Storage;
import io.chartpulse.serde.avro.AvroSerdeConfig;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The sink task: hands records to the {@link ArchiveWriter} and tells Connect which offsets are safe to commit
 * ({@link #preCommit}: only records in completed objects). S3 and registry errors are retried (the worker redelivers
 * the batch after {@code s3.retry.backoff.ms}; records already written are skipped) until
 * {@code s3.retry.deadline.ms} has passed since the first failure, then the task fails with the last error. Records
 * the sink cannot write go to the errant record reporter (the DLQ, when {@code errors.tolerance=all}).
 */
public final class S3SinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(S3SinkTask.class);

    private S3SinkConfig config;
    private ArchiveWriter writer;
    private ErrantRecordReporter reporter;
    private long failingSince = -1;

    /** Connect's constructor. */
    public S3SinkTask() {}

    @Override
    public String version() {
        return S3SinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        start(props, null);
    }

    // Tests give their own storage; Connect the AWS one.
    void start(Map<String, String> props, S3Storage storage) {
        config = new S3SinkConfig(props);
        SchemaRegistryClient registry =
                config.getString(S3SinkConfig.REGISTRY_URL).isBlank()
                        ? null
                        : new SchemaRegistryClient(new AvroSerdeConfig(props).registrySettings());
        FieldReader fields = new FieldReader(registry);
        Partitioner.RecordTime time = Partitioner.RecordTime.create(config, fields);
        try {
            reporter = context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
            reporter = null;
        }
        writer = new ArchiveWriter(
                config,
                storage == null ? new AwsS3Storage(config) : storage,
                FileFormat.create(config, registry),
                Partitioner.create(config, fields, time),
                time,
                System::currentTimeMillis,
                (open, buffered) -> new SinkMetrics(context == null ? null : context.pluginMetrics(), open, buffered));
        if (context != null) {
            writer.open(context.assignment());
        }
        LOG.info("S3 sink task writing {} to s3://{}/{}", config.format(), config.bucket(), config.topicsDir());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        writer.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            writer.write(records, this::bad);
            failingSince = -1;
        } catch (SdkException | IOException | UncheckedIOException | RegistryUnavailableException e) {
            writer.metrics().failed();
            long now = System.currentTimeMillis();
            if (failingSince < 0) {
                failingSince = now;
            }
            long deadline = config.getLong(S3SinkConfig.RETRY_DEADLINE);
            if (now - failingSince >= deadline) {
                throw new ConnectException(
                        "S3 sink: writing to s3://" + config.bucket() + " has failed for " + (now - failingSince)
                                + " ms, past s3.retry.deadline.ms=" + deadline + "; last error: " + e,
                        e);
            }
            LOG.warn(
                    "S3 sink: write failed ({}), retrying in {} ms",
                    e.toString(),
                    config.getLong(S3SinkConfig.RETRY_BACKOFF));
            if (context != null) {
                context.timeout(config.getLong(S3SinkConfig.RETRY_BACKOFF));
            }
            throw new RetriableException("S3 sink: " + e.getMessage(), e);
        }
    }

    private void bad(SinkRecord record, Exception error) {
        if (reporter == null) {
            throw error instanceof DataException d ? d : new DataException(error.getMessage(), error);
        }
        LOG.debug("S3 sink: record {} reported as errant: {}", FieldReader.where(record), error.getMessage());
        reporter.report(record, error);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        writer.committable().forEach((tp, offset) -> {
            if (currentOffsets.containsKey(tp)) {
                safe.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return safe;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (writer != null) {
            writer.close(partitions);
        }
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
    }
}

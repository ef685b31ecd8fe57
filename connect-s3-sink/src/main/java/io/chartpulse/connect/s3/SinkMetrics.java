package io.chartpulse.connect.s3;

import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The sink's metrics, registered with the task's plugin metrics (KIP-877), so they appear in JMX beside the worker's
 * under {@code kafka.connect:type=plugins,connector=<name>,task=<n>}: records-written-total / -rate,
 * bytes-written-total / -rate, files-committed-total, upload-latency-avg-ms / -max-ms, upload-errors-total, open-files,
 * buffered-bytes.
 */
final class SinkMetrics {

    private final Sensor records;
    private final Sensor bytes;
    private final Sensor files;
    private final Sensor latency;
    private final Sensor errors;

    SinkMetrics(PluginMetrics metrics, LongSupplier openFiles, LongSupplier bufferedBytes) {
        if (metrics == null) {
            records = bytes = files = latency = errors = null;
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        records = metrics.addSensor("s3-sink-records");
        records.add(
                metrics.metricName("records-written-total", "Records in completed objects.", tags),
                new CumulativeSum());
        records.add(
                metrics.metricName("records-written-rate", "Records per second in completed objects.", tags),
                new Rate());
        bytes = metrics.addSensor("s3-sink-bytes");
        bytes.add(metrics.metricName("bytes-written-total", "Bytes of completed objects.", tags), new CumulativeSum());
        bytes.add(metrics.metricName("bytes-written-rate", "Bytes per second of completed objects.", tags), new Rate());
        files = metrics.addSensor("s3-sink-files");
        files.add(metrics.metricName("files-committed-total", "Objects completed.", tags), new CumulativeSum());
        latency = metrics.addSensor("s3-sink-upload-latency");
        latency.add(
                metrics.metricName("upload-latency-avg-ms", "Average time of one upload request (put or part).", tags),
                new Avg());
        latency.add(metrics.metricName("upload-latency-max-ms", "Longest upload request.", tags), new Max());
        errors = metrics.addSensor("s3-sink-upload-errors");
        errors.add(
                metrics.metricName("upload-errors-total", "Failed S3 (or registry) calls; each is retried.", tags),
                new CumulativeSum());
        metrics.addMetric(metrics.metricName("open-files", "Files open in the task.", tags), (Gauge<Long>)
                (config, now) -> openFiles.getAsLong());
        metrics.addMetric(metrics.metricName("buffered-bytes", "Bytes held in memory by the task.", tags), (Gauge<Long>)
                (config, now) -> bufferedBytes.getAsLong());
    }

    void uploaded(long size, long nanos) {
        if (latency != null) {
            latency.record(TimeUnit.NANOSECONDS.toMicros(nanos) / 1000.0);
        }
    }

    void failed() {
        if (errors != null) {
            errors.record(1);
        }
    }

    void committed(long recordCount, long byteCount) {
        if (records != null) {
            records.record(recordCount);
            bytes.record(byteCount);
            files.record(1);
        }
    }
}

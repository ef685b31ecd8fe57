package io.chartpulse.connect.s3.partition;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.connect.s3.format.FieldReader;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The partition path of a record inside its topic's directory. Every path depends only on the record, so a replay
 * puts each record in the same place.
 */
public interface Partitioner {

    String path(SinkRecord record);

    static Partitioner create(S3SinkConfig config, FieldReader fields, RecordTime time) {
        return switch (config.partitioner()) {
            case FIELD -> fieldPartitioner(config.partitionFields(), fields);
            case TIME ->
                timePartitioner(
                        config.getString(S3SinkConfig.PATH_FORMAT),
                        ZoneId.of(config.getString(S3SinkConfig.TIMEZONE)),
                        time);
            case KAFKA_PARTITION -> record -> "partition=" + record.kafkaPartition();
        };
    }

    /** {@code <field>=<value>/...}; a null value becomes {@code null}; '/' and control characters become '_'. */
    static Partitioner fieldPartitioner(List<String> names, FieldReader fields) {
        return record -> {
            StringBuilder path = new StringBuilder();
            for (String name : names) {
                if (path.length() > 0) {
                    path.append('/');
                }
                Object value = fields.read(record, name);
                path.append(name).append('=').append(safe(String.valueOf(value)));
            }
            return path.toString();
        };
    }

    /** The record's time formatted with {@code pattern} in {@code zone}, e.g. {@code dt=2026-11-26/hr=09}. */
    static Partitioner timePartitioner(String pattern, ZoneId zone, RecordTime time) {
        DateTimeFormatter format =
                DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone);
        return record -> format.format(Instant.ofEpochMilli(time.of(record)));
    }

    private static String safe(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            out.append(c == '/' || c == '\\' || Character.isISOControl(c) ? '_' : c);
        }
        return out.toString();
    }

    /** A record's time in epoch milliseconds: its Kafka timestamp, or a field of its value. */
    @FunctionalInterface
    interface RecordTime {
        long of(SinkRecord record);

        static RecordTime create(S3SinkConfig config, FieldReader fields) {
            if (!config.timestampFromField()) {
                return record -> {
                    if (record.timestamp() == null || record.timestamp() < 0) {
                        throw new DataException("Record " + FieldReader.where(record) + " has no timestamp");
                    }
                    return record.timestamp();
                };
            }
            String field = config.getString(S3SinkConfig.TIMESTAMP_FIELD);
            return record -> millis(fields.read(record, field), record, field);
        }

        static long millis(Object value, SinkRecord record, String field) {
            if (value instanceof Number n) {
                return n.longValue();
            }
            if (value instanceof Date d) {
                return d.getTime();
            }
            if (value instanceof Instant i) {
                return i.toEpochMilli();
            }
            if (value instanceof String s) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new DataException("Record " + FieldReader.where(record) + ": field " + field + " is not an "
                            + "ISO-8601 instant: " + s);
                }
            }
            throw new DataException("Record " + FieldReader.where(record) + ": field " + field + " holds no time ("
                    + (value == null ? "null" : value.getClass().getSimpleName()) + ")");
        }
    }
}

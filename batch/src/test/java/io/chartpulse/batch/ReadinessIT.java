package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.ReferrerClass;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.lake.LakeTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When an hour counts as closed: against a real broker (the S3 sink's committed offsets on the raw topic) and the
 * lake's committed files (their received_at bounds), with the clock fixed.
 */
class ReadinessIT {

    static final Interval HOUR = Interval.parse("2026-12-01T10");
    static final Duration LOOKBACK = Duration.ofMinutes(30);
    static final String RAW = "raw-ready";
    static final String GROUP = "connect-s3-raw-events";

    @TempDir
    Path dir;

    @Test
    void anHourClosesOnlyOnceTheClockTheLakeAndTheArchiveHaveAllPassedItsEndPlusLookback() {
        Instant due = HOUR.end().plus(LOOKBACK);
        try (EmbeddedKafka kafka =
                        EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).start();
                BatchStack stack = new BatchStack(dir.resolve("stack"));
                KafkaState state =
                        new KafkaState(Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of(), "unused")) {
            kafka.createTopic(RAW, 1);
            kafka.createTopic("enriched-ready", 1);
            // Raw records stamped before and after the due time; the sink has committed up to the first of them.
            produce(kafka, due.minusSeconds(60), due.plusSeconds(60));
            commit(kafka, 0);
            stack.append(LakeTable.ENRICHED_EVENTS, List.of(event(HOUR.start().plusSeconds(30))));
            Readiness.Groups groups = new Readiness.Groups(RAW, GROUP, "streams", "enriched-ready", "lake");

            Readiness early = readiness(stack, state, groups, due.minusSeconds(1));
            Readiness.Verdict v = early.check(HOUR);
            assertThat(v.closed()).isFalse();
            assertThat(v.waitingFor()).hasSize(3);
            assertThat(v.waitingFor().get(0)).startsWith("the lookback");
            assertThat(v.waitingFor().get(1)).startsWith("the lake");
            assertThat(v.waitingFor().get(2)).startsWith("the archive").contains(GROUP);

            // The lake commits an event received after the due time: its watermark passes.
            stack.append(LakeTable.ENRICHED_EVENTS, List.of(event(due.plusSeconds(5))));
            Readiness later = readiness(stack, state, groups, due.plusSeconds(10));
            assertThat(later.lakeWatermark(HOUR.start())).isEqualTo(due.plusSeconds(5));
            assertThat(later.check(HOUR).waitingFor())
                    .hasSize(1)
                    .first()
                    .asString()
                    .startsWith("the archive");

            // The sink commits past the record stamped before the due time: the next one is after it.
            commit(kafka, 1);
            assertThat(later.check(HOUR).closed()).isTrue();
            // And the next hour is not closed by the same state.
            assertThat(later.check(HOUR.next()).closed()).isFalse();
        }
    }

    static Readiness readiness(BatchStack stack, KafkaState state, Readiness.Groups groups, Instant now) {
        return new Readiness(stack.catalog, state, groups, LOOKBACK, false, Clock.fixed(now, ZoneOffset.UTC));
    }

    static EnrichedEvent event(Instant t) {
        return Dataset.event(
                EventType.PAGE_VIEW,
                t,
                "v-" + t.toEpochMilli(),
                "s",
                null,
                null,
                0,
                null,
                ReferrerClass.DIRECT,
                null,
                false);
    }

    static void produce(EmbeddedKafka kafka, Instant... stamps) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (Instant t : stamps) {
                producer.send(new ProducerRecord<>(RAW, 0, t.toEpochMilli(), null, new byte[] {1}));
            }
            producer.flush();
        }
    }

    static void commit(EmbeddedKafka kafka, long offset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.commitSync(Map.of(new TopicPartition(RAW, 0), new OffsetAndMetadata(offset)));
        }
    }
}

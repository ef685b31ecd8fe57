package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionSource;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.schemas.RejectionCode;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.streams.validate.EventValidator;
import io.chartpulse.streams.validate.Rejection;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Steps 1 and 2: decodes a raw record into a ChartEvent and checks the semantic rules. A record that cannot be
 * decoded (a poison pill) or breaks a rule becomes a RejectedEvent with stage STREAMS, its code, the original
 * bytes and where it came from; the application never stops on it. A schema registry that cannot be reached is not
 * a reason to reject: decoding waits for it in the {@link DependencyGuard}. Stateless.
 */
final class DecodeAndValidate implements FixedKeyProcessor<String, byte[], Checked> {

    private final Deserializer<ChartEvent> deserializer;
    private final EventValidator validator;
    private final TopologyCounters counters;
    private final DependencyGuard guard;
    private FixedKeyProcessorContext<String, Checked> context;

    DecodeAndValidate(
            Deserializer<ChartEvent> deserializer,
            EventValidator validator,
            TopologyCounters counters,
            DependencyGuard guard) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.counters = counters;
        this.guard = guard;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Checked> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        byte[] raw = record.value();
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        ChartEvent event;
        try {
            // Only bytes that cannot be read are rejected; an unreachable registry waits in the guard and, past
            // its limit, fails the thread so that the record is read again, never rejected (see DependencyGuard).
            event = raw == null
                    ? null
                    : guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> deserializer.deserialize(topic, raw));
            if (event == null) {
                throw new IllegalArgumentException("the record has no value (a tombstone)");
            }
        } catch (DependencyUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            reject(
                    record,
                    null,
                    new Rejection(RejectionCode.UNDECODABLE, null, "cannot decode a ChartEvent: " + e.getMessage()));
            return;
        }
        Optional<Rejection> broken = validator.check(event);
        if (broken.isPresent()) {
            reject(record, event, broken.get());
            return;
        }
        counters.valid();
        context.forward(record.withValue(new Checked(event, null)));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, ChartEvent event, Rejection why) {
        counters.rejected(why.code().value());
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        boolean framed = raw.length > WireFormat.HEADER_SIZE && raw[0] == WireFormat.MAGIC_BYTE;
        RejectionSource.Builder source = RejectionSource.newBuilder()
                .setTopic(context.recordMetadata().map(RecordMetadata::topic).orElse(null))
                .setPartition(
                        context.recordMetadata().map(RecordMetadata::partition).orElse(null))
                .setOffset(context.recordMetadata().map(RecordMetadata::offset).orElse(null))
                .setAnonymousId(event == null ? record.key() : event.getAnonymousId());
        if (event != null) {
            source.setEventId(event.getEventId().toString());
            source.setUserAgent(
                    event.getContext() == null ? null : event.getContext().getUserAgent());
            source.setIp(event.getContext() == null ? null : event.getContext().getIp());
        }
        RejectedEvent rejected = RejectedEvent.newBuilder()
                .setStage(RejectionStage.STREAMS)
                .setCode(why.code().value())
                .setMessage(why.message())
                .setField(why.field())
                .setPayload(ByteBuffer.wrap(raw))
                .setPayloadFormat(framed ? PayloadFormat.AVRO : PayloadFormat.BYTES)
                .setReceivedAt(event == null ? Instant.ofEpochMilli(record.timestamp()) : event.getReceivedAt())
                .setRejectedAt(Instant.now())
                .setSource(source.build())
                .build();
        context.forward(record.withValue(new Checked(null, rejected)));
    }
}

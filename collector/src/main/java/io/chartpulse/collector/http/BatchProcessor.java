package io.chartpulse.collector.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionSource;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.collector.kafka.ErasureList;
import io.chartpulse.collector.kafka.EventProducer;
import io.chartpulse.collector.mapping.EventRejection;
import io.chartpulse.collector.mapping.JsonAvroTranscoder;
import io.chartpulse.collector.mapping.ServerFields;
import io.chartpulse.schemas.RejectionCode;
import io.chartpulse.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Turns a batch body into records in one streaming pass: each valid event becomes a {@code ChartEvent} for the
 * raw topic (key {@code anonymous_id}), written as Avro straight from the JSON; each invalid one becomes a
 * {@code RejectedEvent} for the invalid topic, with its code, message, field and original JSON bytes, and is listed
 * in the response. No element is dropped.
 */
final class BatchProcessor {

    /** Where a request came from, as it may be stored. */
    record Origin(ServerFields server, String origin) {}

    /** One refused element, as the response lists it. */
    record Rejection(int index, String code, String message) {}

    /** Records to send, and what to answer once they are acknowledged. */
    /**
     * Records to send, and what to answer once they are acknowledged. {@code erased} events are neither written nor
     * refused: answered as taken (the tracker must not send them again), counted apart.
     */
    record Outcome(List<EventProducer.Outgoing> records, int accepted, List<Rejection> rejections, int erased) {}

    /** Per event-loop buffers: encoding allocates nothing but each record's final array. */
    private static final class Scratch extends ByteArrayOutputStream {
        BinaryEncoder encoder;

        Scratch() {
            super(2048);
        }

        byte[] copy() {
            return Arrays.copyOf(buf, count);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final JsonAvroTranscoder transcoder;
    private final EventProducer producer;
    private final int maxEventBytes;
    private final int maxEvents;
    private final ErasureList erasures;

    BatchProcessor(EventProducer producer, int maxEventBytes, int maxEvents, ErasureList erasures) {
        this.producer = producer;
        this.erasures = erasures;
        this.transcoder = new JsonAvroTranscoder(producer.rawSchema());
        this.maxEventBytes = maxEventBytes;
        this.maxEvents = maxEvents;
    }

    Outcome process(byte[] body, Origin origin) throws BatchReader.MalformedBatch, BatchReader.TooLarge {
        List<EventProducer.Outgoing> records = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        int accepted = 0;
        int erased = 0;
        Scratch scratch = SCRATCH.get();
        try (JsonParser parser = BatchReader.openEvents(body)) {
            JsonStreamContext array = parser.getParsingContext();
            for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                if (parser.currentToken() == null) {
                    throw new BatchReader.MalformedBatch("the JSON ends before the events array closes");
                }
                if (index == maxEvents) {
                    throw new BatchReader.TooLarge("the batch has more than " + maxEvents + " events");
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                EventRejection rejection = null;
                JsonAvroTranscoder.Ids ids = null;
                // Re-configuring the encoder flushes what a refused event left in it; the reset then drops it.
                scratch.encoder = EncoderFactory.get().binaryEncoder(scratch, scratch.encoder);
                scratch.reset();
                scratch.write(WireFormat.header(producer.rawSchemaId()));
                try {
                    ids = transcoder.transcode(parser, origin.server(), scratch.encoder);
                    scratch.encoder.flush();
                } catch (EventRejection refused) {
                    rejection = refused;
                    BatchReader.skipRest(parser, array);
                }
                int end = (int) parser.currentLocation().getByteOffset();
                if (rejection == null && end - start > maxEventBytes) {
                    rejection = new EventRejection(
                            RejectionCode.EVENT_TOO_LARGE,
                            null,
                            "the event is " + (end - start) + " bytes as JSON; at most " + maxEventBytes
                                    + " are accepted");
                }
                if (rejection == null && erasures != null && erasures.erased(ids.anonymousId(), ids.userId())) {
                    erased++;
                } else if (rejection == null) {
                    records.add(new EventProducer.Outgoing(producer.rawTopic(), ids.anonymousId(), scratch.copy()));
                    accepted++;
                } else {
                    rejections.add(new Rejection(index, rejection.code(), rejection.getMessage()));
                    records.add(rejected(index, Arrays.copyOfRange(body, start, end), rejection, origin));
                }
            }
        } catch (IOException e) {
            throw BatchReader.malformed(e);
        }
        return new Outcome(records, accepted, rejections, erased);
    }

    private EventProducer.Outgoing rejected(int index, byte[] raw, EventRejection rejection, Origin origin) {
        JsonNode node = tree(raw);
        String eventId = text(node, "event_id");
        String anonymousId = text(node, "anonymous_id");
        byte[] payload = raw.length > maxEventBytes ? Arrays.copyOf(raw, maxEventBytes) : raw;
        RejectedEvent event = RejectedEvent.newBuilder()
                .setStage(RejectionStage.COLLECTOR)
                .setCode(rejection.code())
                .setMessage(rejection.getMessage()
                        + (payload.length < raw.length ? " (payload truncated to " + maxEventBytes + " bytes)" : ""))
                .setField(rejection.field())
                .setPayload(ByteBuffer.wrap(payload))
                .setPayloadFormat(PayloadFormat.JSON)
                .setReceivedAt(Instant.ofEpochMilli(origin.server().receivedAt()))
                .setRejectedAt(Instant.now())
                .setSource(RejectionSource.newBuilder()
                        .setBatchIndex(index)
                        .setEventId(eventId)
                        .setAnonymousId(anonymousId)
                        .setIp(origin.server().ip())
                        .setUserAgent(origin.server().userAgent())
                        .setOrigin(origin.origin())
                        .build())
                .build();
        return new EventProducer.Outgoing(
                producer.invalidTopic(), anonymousId, producer.encode(producer.invalidTopic(), event));
    }

    // Refused events are rare: reading their ids from a tree keeps the hot path free of bookkeeping.
    private static JsonNode tree(byte[] raw) {
        try {
            return BatchReader.JSON.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null || !node.isObject() ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.textValue();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}

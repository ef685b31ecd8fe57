package io.chartpulse.collector.http;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionSource;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.collector.kafka.EventProducer;
import io.chartpulse.collector.mapping.EventRejection;
import io.chartpulse.collector.mapping.JsonEventMapper;
import io.chartpulse.collector.mapping.ServerFields;
import org.apache.avro.generic.GenericData;

/**
 * Turns the elements of one batch into records: each valid event becomes a {@code ChartEvent} for the raw topic
 * (key {@code anonymous_id}); each invalid one becomes a {@code RejectedEvent} for the invalid topic, with its code,
 * message, field and original JSON, and is listed in the response. No element is dropped.
 */
final class BatchProcessor {

    /** Where a request came from, as it may be stored. */
    record Origin(ServerFields server, String origin) {
    }

    /** One refused element, as the response lists it. */
    record Rejection(int index, String code, String message) {
    }

    /** Records to send, and what to answer once they are acknowledged. */
    record Outcome(List<EventProducer.Outgoing> records, int accepted, List<Rejection> rejections) {
    }

    private final JsonEventMapper mapper;
    private final EventProducer producer;
    private final int maxEventBytes;

    BatchProcessor(JsonEventMapper mapper, EventProducer producer, int maxEventBytes) {
        this.mapper = mapper;
        this.producer = producer;
        this.maxEventBytes = maxEventBytes;
    }

    Outcome process(List<BatchReader.Element> elements, Origin origin) {
        List<EventProducer.Outgoing> records = new ArrayList<>(elements.size());
        List<Rejection> rejections = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < elements.size(); i++) {
            BatchReader.Element element = elements.get(i);
            try {
                if (element.raw().length > maxEventBytes) {
                    throw new EventRejection(EventRejection.EVENT_TOO_LARGE, null, "the event is " + element.raw().length
                            + " bytes as JSON; at most " + maxEventBytes + " are accepted");
                }
                GenericData.Record event = mapper.map(element.node(), origin.server());
                String key = event.get("anonymous_id").toString();
                records.add(new EventProducer.Outgoing(producer.rawTopic(), key,
                        producer.encode(producer.rawTopic(), event)));
                accepted++;
            } catch (EventRejection rejection) {
                rejections.add(new Rejection(i, rejection.code(), rejection.getMessage()));
                records.add(rejected(i, element, rejection, origin));
            }
        }
        return new Outcome(records, accepted, rejections);
    }

    private EventProducer.Outgoing rejected(int index, BatchReader.Element element, EventRejection rejection, Origin origin) {
        String eventId = text(element.node(), "event_id");
        String anonymousId = text(element.node(), "anonymous_id");
        byte[] payload = element.raw().length > maxEventBytes
                ? java.util.Arrays.copyOf(element.raw(), maxEventBytes) : element.raw();
        RejectedEvent event = RejectedEvent.newBuilder()
                .setStage(RejectionStage.COLLECTOR)
                .setCode(rejection.code())
                .setMessage(rejection.getMessage() + (payload.length < element.raw().length
                        ? " (payload truncated to " + maxEventBytes + " bytes)" : ""))
                .setField(rejection.field())
                .setPayload(ByteBuffer.wrap(payload))
                .setPayloadFormat(PayloadFormat.JSON)
                .setReceivedAt(Instant.ofEpochMilli(origin.server().receivedAt()))
                .setRejectedAt(Instant.now())
                .setSource(RejectionSource.newBuilder().setBatchIndex(index).setEventId(eventId)
                        .setAnonymousId(anonymousId).setIp(origin.server().ip())
                        .setUserAgent(origin.server().userAgent()).setOrigin(origin.origin()).build())
                .build();
        return new EventProducer.Outgoing(producer.invalidTopic(), anonymousId,
                producer.encode(producer.invalidTopic(), event));
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

package io.chartpulse.collector.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ConsentState;
import io.chartpulse.avro.EventType;
import io.chartpulse.collector.TrackerEvents;
import io.chartpulse.schemas.SampleRecords;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class JsonAvroTranscoderTest {

    private static final ServerFields SERVER = new ServerFields(1_700_000_000_000L, "203.0.113.0", "DE", "UA/1");

    @Test
    void mapsEveryFieldTheTrackerSendsAndAddsTheServersOwn() throws Exception {
        ObjectNode json = TrackerEvents.dealClick("anon-1");
        ((ObjectNode) json.get("context")).put("ip", "1.2.3.4").put("country", "FR");
        json.put("received_at", 5L);

        ChartEvent event = Transcode.toEvent(json, SERVER);

        assertThat(event.getReceivedAt().toEpochMilli()).isEqualTo(SERVER.receivedAt());
        assertThat(event.getContext().getIp()).isEqualTo("203.0.113.0");
        assertThat(event.getContext().getCountry()).isEqualTo("DE");
        assertThat(event.getContext().getUserAgent()).isEqualTo("UA/1");
        assertThat(event.getContext().getViewportWidth()).isEqualTo(1280);
        assertThat(event.getContext().getTimezone()).isEqualTo("Europe/Berlin");
        assertThat(event.getProduct().getPrice()).isEqualTo(999.5);
        assertThat(event.getProduct().getImpressionId())
                .isEqualTo(json.get("product").get("impression_id").asText());
        assertThat(event.getChart().getFilters()).containsExactly(Map.entry("brand", "acme"));
        assertThat(event.getSessionIndex()).isEqualTo(2);
        assertThat(event.getEventType()).isEqualTo(EventType.OUTBOUND_CLICK);
        assertThat(event.getEventId().toString()).isEqualTo(json.get("event_id").asText());
        assertThat(event.getCreatedAt().toEpochMilli())
                .isEqualTo(json.get("created_at").asLong());
        assertThat(event.getConsent().getState()).isEqualTo(ConsentState.GRANTED);
        assertThat(event.getConsent().getCookieless()).isFalse();
        assertThat(event.getSdk().getName()).isEqualTo("chartpulse-js");
    }

    @Test
    void optionalFieldsMayBeOmittedOrNullAndDefaultsApply() throws Exception {
        ObjectNode json = minimal();
        json.putNull("user_id");
        ChartEvent event = Transcode.toEvent(json, new ServerFields(1L, null, null, null));
        assertThat(event.getUserId()).isNull();
        assertThat(event.getSessionIndex()).isEqualTo(1);
        assertThat(event.getChart()).isNull();
        // The context is created to carry server fields, even when all of them are null.
        assertThat(event.getContext()).isNotNull();
    }

    @Test
    void unknownEnumSymbolsFallBackToTheEnumDefault() throws Exception {
        ObjectNode json = minimal();
        json.put("event_type", "FUTURE_THING");
        json.putObject("consent").put("state", "MAYBE");
        ChartEvent event = Transcode.toEvent(json, SERVER);
        assertThat(event.getEventType()).isEqualTo(EventType.UNKNOWN);
        assertThat(event.getConsent().getState()).isEqualTo(ConsentState.UNKNOWN);
    }

    @Test
    void unknownFieldsAreSkippedWhateverTheirShape() throws Exception {
        ObjectNode json = minimal();
        json.put("from_a_newer_tracker", true);
        json.putObject("nested_new").putArray("deep").addObject().put("x", 1);
        ((ObjectNode) json.get("page")).putArray("new_list").add(1);
        assertThat(Transcode.toEvent(json, SERVER).getPage().getPath()).isEqualTo("/");
    }

    @Test
    void rejectionsNameTheFieldTheValueAndWhatIsValid() {
        assertRejected(without("anonymous_id"), "missing_field", "anonymous_id", "anonymous_id is required");
        assertRejected(with("created_at", "\"2026-01-01\""), "invalid_type", "created_at", "epoch milliseconds");
        assertRejected(with("created_at", "-5"), "invalid_value", "created_at", "after 1970");
        assertRejected(with("session_index", "1.5"), "invalid_type", "session_index", "an integer");
        assertRejected(with("session_index", "99999999999"), "invalid_value", "session_index", "32-bit");
        assertRejected(with("event_id", "\"abc\""), "invalid_value", "event_id", "not a UUID");
        assertRejected(with("page", "\"/x\""), "invalid_type", "page", "an object");
        assertRejected(nested("page", "url", "7"), "invalid_type", "page.url", "a string");
        assertRejected(nested("page", "url", null), "missing_field", "page.url", "required");
        assertRejected(with("properties", "{\"k\": 1}"), "invalid_type", "properties.k", "a string");
        assertRejected(with("sample_rate", "true"), "invalid_type", "sample_rate", "a number");
        assertRejected(with("context", "[]"), "invalid_type", "context", "an object");
    }

    @Test
    void aNonObjectElementIsRejected() {
        assertThatThrownBy(() ->
                        Transcode.toEvent(TrackerEvents.JSON.getNodeFactory().textNode("x"), SERVER))
                .isInstanceOfSatisfying(
                        EventRejection.class, r -> assertThat(r.code()).isEqualTo("not_an_object"));
    }

    /** The mapping is derived from the schema: a fully populated event survives JSON → Avro unchanged. */
    @Test
    void aFullyPopulatedEventRoundTripsFromItsJsonForm() throws Exception {
        ChartEvent sample = SampleRecords.chartEvent();
        ObjectNode json = (ObjectNode) TrackerEvents.JSON.readTree(AvroJson.toJson(sample));
        ServerFields server = new ServerFields(
                sample.getReceivedAt().toEpochMilli(),
                sample.getContext().getIp(),
                sample.getContext().getCountry(),
                sample.getContext().getUserAgent());

        assertThat(Transcode.toEvent(json, server)).isEqualTo(sample);
    }

    @Property(tries = 300)
    void anyMutationOfAValidEventIsEitherAcceptedOrRejectedWithACode(@ForAll("mutations") List<Object> mutation) {
        ObjectNode json = TrackerEvents.dealClick("anon-p");
        String field = (String) mutation.get(0);
        JsonNode value = (JsonNode) mutation.get(1);
        json.set(field, value);
        try {
            assertThat(Transcode.toEvent(json, SERVER).getAnonymousId()).isNotNull();
        } catch (EventRejection rejection) {
            assertThat(rejection.code()).isIn("missing_field", "invalid_type", "invalid_value");
            assertThat(rejection.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<List<Object>> mutations() {
        Arbitrary<String> fields = Arbitraries.of(ChartEvent.getClassSchema().getFields().stream()
                .map(Schema.Field::name)
                .toList());
        Arbitrary<JsonNode> values = Arbitraries.oneOf(
                Arbitraries.strings()
                        .ofMaxLength(40)
                        .map(s -> TrackerEvents.JSON.getNodeFactory().textNode(s)),
                Arbitraries.longs().map(l -> TrackerEvents.JSON.getNodeFactory().numberNode(l)),
                Arbitraries.doubles()
                        .map(d -> TrackerEvents.JSON.getNodeFactory().numberNode(d)),
                Arbitraries.of(true, false)
                        .map(b -> TrackerEvents.JSON.getNodeFactory().booleanNode(b)),
                Arbitraries.just(TrackerEvents.JSON.getNodeFactory().nullNode()),
                Arbitraries.just(TrackerEvents.JSON.createArrayNode().add(1)),
                Arbitraries.just(TrackerEvents.JSON.createObjectNode().put("x", 1)));
        return net.jqwik.api.Combinators.combine(fields, values).as((f, v) -> List.of(f, v));
    }

    private static void assertRejected(ObjectNode json, String code, String field, String messagePart) {
        assertThatThrownBy(() -> Transcode.toEvent(json, SERVER)).isInstanceOfSatisfying(EventRejection.class, r -> {
            assertThat(r.code()).isEqualTo(code);
            assertThat(r.field()).isEqualTo(field);
            assertThat(r.getMessage()).contains(messagePart);
        });
    }

    private static ObjectNode minimal() {
        ObjectNode json = TrackerEvents.JSON.createObjectNode();
        json.put("event_id", "2f1b8a5e-8c1d-4f7a-9a51-6d1e0c3b7a10");
        json.put("event_type", "PAGE_VIEW");
        json.put("created_at", 1_700_000_000_000L);
        json.put("sent_at", 1_700_000_000_100L);
        json.put("anonymous_id", "a");
        json.put("session_id", "s");
        json.put("page_view_id", "pv");
        json.putObject("page").put("url", "https://x.example/").put("path", "/");
        return json;
    }

    private static ObjectNode without(String field) {
        ObjectNode json = minimal();
        json.remove(field);
        return json;
    }

    private static ObjectNode with(String field, String valueJson) {
        ObjectNode json = minimal();
        try {
            json.set(field, TrackerEvents.JSON.readTree(valueJson));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return json;
    }

    private static ObjectNode nested(String object, String field, String valueJson) {
        ObjectNode json = minimal();
        ObjectNode inner = (ObjectNode) json.get(object);
        if (valueJson == null) {
            inner.remove(field);
        } else {
            try {
                inner.set(field, TrackerEvents.JSON.readTree(valueJson));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return json;
    }
}

package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random and malformed bodies against a running collector: never a 5xx, never a crash, and every event of every
 * accepted batch accounted for, in the answer and on the topics.
 */
@ExtendWith(StackExtension.class)
class CollectorFuzzIT {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void randomBodiesNeverBreakTheCollectorAndEveryEventIsAccountedFor(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        try (CollectorFixture collector = CollectorFixture.start(
                kafka,
                registry,
                topics,
                CollectorConfig.RATE_LIMIT_CONFIG,
                "0",
                CollectorConfig.MAX_BODY_BYTES_CONFIG,
                "200000",
                CollectorConfig.MAX_EVENT_BYTES_CONFIG,
                "4096")) {
            Random random = new Random(20261126);
            List<byte[]> bodies = new ArrayList<>();
            batches()
                    .sampleStream()
                    .limit(150)
                    .forEach(b -> bodies.add(b.toString().getBytes(StandardCharsets.UTF_8)));
            anyJson(6)
                    .sampleStream()
                    .limit(60)
                    .forEach(j -> bodies.add(j.toString().getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < 40; i++) {
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                bodies.add(noise);
            }
            for (int i = 0; i < 30; i++) {
                byte[] valid = TrackerEvents.batch(2).toString().getBytes(StandardCharsets.UTF_8);
                valid[random.nextInt(valid.length)] = (byte) (0x80 + random.nextInt(0x40));
                bodies.add(valid);
            }
            bodies.add(("[" + "[".repeat(500) + "]".repeat(500) + "]").getBytes(StandardCharsets.UTF_8));
            bodies.add(("[{\"event_id\":\"" + "x".repeat(150_000) + "\"}]").getBytes(StandardCharsets.UTF_8));

            int accepted = 0;
            int rejected = 0;
            for (byte[] body : bodies) {
                HttpResponse<String> response = collector.post(body);
                assertThat(response.statusCode())
                        .as(new String(body, StandardCharsets.UTF_8))
                        .isIn(200, 400, 413);
                assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
                if (response.statusCode() == 200) {
                    JsonNode answer = TrackerEvents.JSON.readTree(response.body());
                    JsonNode sent = TrackerEvents.JSON.readTree(body);
                    int elements =
                            sent.isArray() ? sent.size() : sent.get("events").size();
                    assertThat(answer.get("accepted").asInt()
                                    + answer.get("rejected").size())
                            .isEqualTo(elements);
                    accepted += answer.get("accepted").asInt();
                    rejected += answer.get("rejected").size();
                } else {
                    assertThat(TrackerEvents.JSON
                                    .readTree(response.body())
                                    .get("error")
                                    .get("code")
                                    .asText())
                            .isNotBlank();
                }
            }
            assertThat(accepted).as("some fuzzed batches carry valid events").isPositive();
            assertThat(rejected).as("some fuzzed batches carry invalid events").isPositive();
            assertThat(collector.read(collector.raw, accepted)).hasSize(accepted);
            assertThat(collector.read(collector.invalid, rejected)).hasSize(rejected);
        }
    }

    /** Batches mixing valid events with mutated ones: fields removed, retyped, nested deeply, made huge. */
    private static Arbitrary<ArrayNode> batches() {
        Arbitrary<JsonNode> element = Arbitraries.oneOf(
                Arbitraries.just(0).map(i -> TrackerEvents.dealClick("anon-fuzz")), mutatedEvent(), anyJson(3));
        return element.list().ofMaxSize(8).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    private static Arbitrary<JsonNode> mutatedEvent() {
        Arbitrary<String> paths = Arbitraries.of(
                "event_id",
                "event_type",
                "created_at",
                "sent_at",
                "anonymous_id",
                "session_id",
                "session_index",
                "page_view_id",
                "page",
                "chart",
                "product",
                "context",
                "consent",
                "sdk",
                "sample_rate",
                "properties");
        return net.jqwik.api.Combinators.combine(paths, anyJson(4), Arbitraries.of(true, false))
                .as((path, value, remove) -> {
                    ObjectNode event = TrackerEvents.dealClick("anon-fuzz");
                    if (remove) {
                        event.remove(path);
                    } else {
                        event.set(path, value);
                    }
                    return event;
                });
    }

    private static Arbitrary<JsonNode> anyJson(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(NODES::textNode),
                Arbitraries.strings()
                        .withCharRange('\u0000', '\uffff')
                        .ofMaxLength(10)
                        .map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = anyJson(depth - 1).list().ofMaxSize(4).map(items -> {
            ArrayNode node = NODES.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMaxLength(12), anyJson(depth - 1))
                .ofMaxSize(4)
                .map(fields -> {
                    ObjectNode node = NODES.objectNode();
                    fields.forEach(node::set);
                    return node;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, object));
    }
}

package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.schemas.ErasureKeys;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every answer of the collector, against a real broker and the real registry. */
@ExtendWith(StackExtension.class)
class CollectorIT {

    @Test
    void acceptsABatchAndWritesChartEventsKeyedByAnonymousId(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        try (CollectorFixture collector = CollectorFixture.start(kafka, registry, topics)) {
            ArrayNode batch = TrackerEvents.batch(3);
            ((ObjectNode) batch.get(0)).put("received_at", 1L);
            ((ObjectNode) batch.get(0).get("context")).put("ip", "198.51.100.77");
            long before = System.currentTimeMillis();

            HttpResponse<String> response =
                    collector.post(batch.toString(), "User-Agent", "Mozilla/5.0 (Test) Chrome/131");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = TrackerEvents.JSON.readTree(response.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(3);
            assertThat(answer.get("rejected")).isEmpty();
            List<ConsumerRecord<String, Object>> records = collector.read(collector.raw, 3);
            assertThat(records).hasSize(3);
            for (ConsumerRecord<String, Object> record : records) {
                ChartEvent event = (ChartEvent) record.value();
                assertThat(record.key()).isEqualTo(event.getAnonymousId());
                assertThat(event.getReceivedAt().toEpochMilli()).isBetween(before, System.currentTimeMillis());
                assertThat(event.getContext().getIp()).isEqualTo("127.0.0.0");
                assertThat(event.getContext().getUserAgent()).isEqualTo("Mozilla/5.0 (Test) Chrome/131");
                assertThat(event.getEventType()).isEqualTo(EventType.OUTBOUND_CLICK);
                assertThat(event.getProduct().getRank()).isEqualTo(3);
                assertThat(event.getChart().getFilters()).containsEntry("brand", "acme");
            }
            assertThat(records)
                    .extracting(r -> ((ChartEvent) r.value()).getEventId().toString())
                    .containsExactlyInAnyOrder(
                            batch.get(0).get("event_id").asText(),
                            batch.get(1).get("event_id").asText(),
                            batch.get(2).get("event_id").asText());
        }
    }

    @Test
    void anErasedVisitorsEventsAreAnsweredAsTakenButNeverWritten(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        String erasures = topics.create("chart.erasure.requests.v1", 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(erasures, ErasureKeys.anonymousId("gone"), new byte[] {1}));
            producer.send(new ProducerRecord<>(erasures, ErasureKeys.userId("u-gone"), new byte[] {1}));
            producer.send(new ProducerRecord<>(erasures, ErasureKeys.anonymousId("forgiven"), new byte[] {1}));
            producer.send(new ProducerRecord<>(erasures, ErasureKeys.anonymousId("forgiven"), null));
        }
        try (CollectorFixture collector =
                CollectorFixture.start(kafka, registry, topics, CollectorConfig.ERASURE_TOPIC_CONFIG, erasures)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(collector.server::erasuresLoaded);
            ArrayNode batch = TrackerEvents.JSON.createArrayNode();
            batch.add(TrackerEvents.dealClick("gone"));
            batch.add(TrackerEvents.dealClick("another-device").put("user_id", "u-gone"));
            batch.add(TrackerEvents.dealClick("kept"));
            batch.add(TrackerEvents.dealClick("forgiven"));

            HttpResponse<String> response = collector.post(batch.toString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TrackerEvents.JSON
                            .readTree(response.body())
                            .get("accepted")
                            .asInt())
                    .as("answered as taken, so the tracker does not send them again")
                    .isEqualTo(4);
            assertThat(collector.read(collector.raw, 3))
                    .extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("kept", "forgiven");
            assertThat(collector.read(collector.invalid, 1))
                    .as("never kept as a refusal")
                    .isEmpty();
            assertThat(collector.get("/metrics").body())
                    .contains("chartpulse_collector_events_dropped_total{reason=\"erased\"} 2.0")
                    .contains("chartpulse_collector_events_accepted_total 2.0");
        }
    }

    @Test
    void acceptsTheObjectFormTextPlainAndGzip(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics)
            throws Exception {
        try (CollectorFixture collector = CollectorFixture.start(kafka, registry, topics)) {
            ObjectNode wrapped = TrackerEvents.JSON.createObjectNode();
            wrapped.put("sdk_batch", 7);
            wrapped.set("events", TrackerEvents.batch(2));
            assertThat(collector
                            .post(wrapped.toString(), "Content-Type", "text/plain;charset=UTF-8")
                            .body())
                    .contains("\"accepted\":2");

            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(TrackerEvents.batch(2).toString().getBytes(StandardCharsets.UTF_8));
            }
            HttpResponse<String> gz = collector.post(zipped.toByteArray(), "Content-Encoding", "gzip");
            assertThat(gz.statusCode()).isEqualTo(200);
            assertThat(gz.body()).contains("\"accepted\":2");
            assertThat(collector.read(collector.raw, 4)).hasSize(4);
        }
    }

    @Test
    void rejectsBadEventsOneByOneAndKeepsThemOnTheInvalidTopic(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        try (CollectorFixture collector =
                CollectorFixture.start(kafka, registry, topics, CollectorConfig.MAX_EVENT_BYTES_CONFIG, "2048")) {
            ArrayNode batch = TrackerEvents.batch(7);
            ((ObjectNode) batch.get(1)).remove("event_id");
            ((ObjectNode) batch.get(2)).put("created_at", "yesterday");
            ((ObjectNode) batch.get(3)).put("event_id", "not-a-uuid");
            batch.set(4, TrackerEvents.JSON.getNodeFactory().numberNode(42));
            ((ObjectNode) batch.get(5).get("page")).put("title", "x".repeat(3000));
            ((ObjectNode) batch.get(6)).put("event_type", "HOLOGRAM_GAZE");

            HttpResponse<String> response = collector.post(batch.toString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = TrackerEvents.JSON.readTree(response.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(2);
            JsonNode rejected = answer.get("rejected");
            assertThat(rejected).hasSize(5);
            assertThat(rejected.get(0).get("index").asInt()).isEqualTo(1);
            assertThat(rejected.get(0).get("code").asText()).isEqualTo("missing_field");
            assertThat(rejected.get(0).get("message").asText()).contains("event_id");
            assertThat(rejected.get(1).get("code").asText()).isEqualTo("invalid_type");
            assertThat(rejected.get(1).get("message").asText())
                    .contains("created_at")
                    .contains("'yesterday'");
            assertThat(rejected.get(2).get("code").asText()).isEqualTo("invalid_value");
            assertThat(rejected.get(3).get("code").asText()).isEqualTo("not_an_object");
            assertThat(rejected.get(4).get("code").asText()).isEqualTo("event_too_large");

            List<ConsumerRecord<String, Object>> invalid = collector.read(collector.invalid, 5);
            assertThat(invalid).hasSize(5);
            RejectedEvent first = (RejectedEvent) invalid.stream()
                    .filter(r -> ((RejectedEvent) r.value()).getSource().getBatchIndex() == 2)
                    .findFirst()
                    .orElseThrow()
                    .value();
            assertThat(first.getStage()).isEqualTo(RejectionStage.COLLECTOR);
            assertThat(first.getCode()).isEqualTo("invalid_type");
            assertThat(first.getField()).isEqualTo("created_at");
            assertThat(first.getPayloadFormat()).isEqualTo(PayloadFormat.JSON);
            assertThat(TrackerEvents.JSON.readTree(
                            StandardCharsets.UTF_8.decode(first.getPayload()).toString()))
                    .isEqualTo(batch.get(2));
            assertThat(first.getSource().getEventId())
                    .isEqualTo(batch.get(2).get("event_id").asText());
            assertThat(first.getSource().getIp()).isEqualTo("127.0.0.0");

            List<ConsumerRecord<String, Object>> accepted = collector.read(collector.raw, 2);
            assertThat(accepted)
                    .extracting(r -> ((ChartEvent) r.value()).getEventType())
                    .containsExactlyInAnyOrder(EventType.OUTBOUND_CLICK, EventType.UNKNOWN);
        }
    }

    @Test
    void malformedBodiesAre400WithAJsonError(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector = CollectorFixture.start(kafka, registry, topics)) {
            for (String body : List.of("{not json", "42", "{\"events\": 3}", "{\"other\": []}", "[{\"a\":1}", "")) {
                HttpResponse<String> response = collector.post(body);
                assertThat(response.statusCode()).as(body).isEqualTo(400);
                assertThat(response.body())
                        .as(body)
                        .contains("\"code\":\"malformed_batch\"")
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
            }
            byte[] badUtf8 = {'[', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ']'};
            assertThat(collector.post(badUtf8).statusCode()).isEqualTo(400);
            assertThat(collector.post("[]").body()).isEqualTo("{\"accepted\":0,\"rejected\":[]}");
        }
    }

    @Test
    void limitsAnswer413And415(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        try (CollectorFixture collector = CollectorFixture.start(
                kafka,
                registry,
                topics,
                CollectorConfig.MAX_BODY_BYTES_CONFIG,
                "20000",
                CollectorConfig.MAX_EVENTS_CONFIG,
                "5")) {
            HttpResponse<String> big = collector.post("[" + "\"x\",".repeat(10_000) + "\"x\"]");
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("payload_too_large");
            assertThat(collector.post(TrackerEvents.batch(6).toString()).statusCode())
                    .isEqualTo(413);

            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
                gzip.write(new byte[5_000_000]);
            }
            assertThat(collector
                            .post(bomb.toByteArray(), "Content-Encoding", "gzip")
                            .statusCode())
                    .isEqualTo(413);
            assertThat(collector
                            .post("[]".getBytes(), "Content-Encoding", "gzip")
                            .statusCode())
                    .isEqualTo(400);

            HttpResponse<String> xml = collector.post("<events/>", "Content-Type", "application/xml");
            assertThat(xml.statusCode()).isEqualTo(415);
            assertThat(xml.body()).contains("unsupported_media_type");
            assertThat(collector.post("[]", "Content-Encoding", "br").statusCode())
                    .isEqualTo(415);
        }
    }

    @Test
    void rateLimitIs429WithRetryAfter(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector = CollectorFixture.start(
                kafka,
                registry,
                topics,
                CollectorConfig.RATE_LIMIT_CONFIG,
                "1",
                CollectorConfig.RATE_LIMIT_BURST_CONFIG,
                "5")) {
            assertThat(collector.post(TrackerEvents.batch(5).toString()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> limited = collector.post(TrackerEvents.batch(5).toString());
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            assertThat(limited.body()).contains("rate_limited");
        }
    }

    @Test
    void corsAllowlistAndPreflight(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector = CollectorFixture.start(
                kafka, registry, topics, CollectorConfig.CORS_ORIGINS_CONFIG, "https://reviews.example")) {
            HttpResponse<String> preflight =
                    collector.send(HttpRequest.newBuilder(URI.create(collector.url + "/v1/events"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://reviews.example")
                            .header("Access-Control-Request-Method", "POST")
                            .build());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://reviews.example");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                    .hasValueSatisfying(v -> assertThat(v).contains("POST"));

            HttpResponse<String> allowed =
                    collector.post(TrackerEvents.batch(1).toString(), "Origin", "https://reviews.example");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://reviews.example");

            HttpResponse<String> foreign =
                    collector.post(TrackerEvents.batch(1).toString(), "Origin", "https://evil.example");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.body()).contains("origin_not_allowed");
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxiesAndCountryFromTheCdnHeader(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture untrusted = CollectorFixture.start(kafka, registry, topics)) {
            untrusted.post(TrackerEvents.batch(1).toString(), "X-Forwarded-For", "203.0.113.9");
            assertThat(((ChartEvent) untrusted.read(untrusted.raw, 1).get(0).value())
                            .getContext()
                            .getIp())
                    .isEqualTo("127.0.0.0");
        }
        try (CollectorFixture trusted = CollectorFixture.start(
                kafka,
                registry,
                topics,
                CollectorConfig.TRUSTED_PROXIES_CONFIG,
                "127.0.0.0/8",
                CollectorConfig.COUNTRY_HEADER_CONFIG,
                "CloudFront-Viewer-Country")) {
            trusted.post(
                    TrackerEvents.batch(1).toString(),
                    "X-Forwarded-For",
                    "198.51.100.1, 203.0.113.9",
                    "CloudFront-Viewer-Country",
                    "de");
            ChartEvent event = (ChartEvent) trusted.read(trusted.raw, 1).get(0).value();
            assertThat(event.getContext().getIp()).isEqualTo("203.0.113.0");
            assertThat(event.getContext().getCountry()).isEqualTo("DE");
        }
        try (CollectorFixture hashing = CollectorFixture.start(
                kafka,
                registry,
                topics,
                CollectorConfig.IP_MODE_CONFIG,
                "hash",
                CollectorConfig.IP_SALT_CONFIG,
                "pepper")) {
            hashing.post(TrackerEvents.batch(1).toString());
            assertThat(((ChartEvent) hashing.read(hashing.raw, 1).get(0).value())
                            .getContext()
                            .getIp())
                    .matches("[0-9a-f]{32}");
        }
    }

    @Test
    void pixelAcceptsOneEventFromTheQueryString(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector = CollectorFixture.start(kafka, registry, topics)) {
            String query = "event_type=PAGE_VIEW&anonymous_id=a1&session_id=s1&page_view_id=pv1&session_index=3"
                    + "&page.url=" + URLEncoder.encode("https://reviews.example/x?y=1", StandardCharsets.UTF_8)
                    + "&page.path=/x";
            HttpResponse<String> ok = collector.get("/v1/p.gif?" + query);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("image/gif");
            assertThat(ok.headers().firstValue("X-ChartPulse-Rejected")).isEmpty();
            ChartEvent event =
                    (ChartEvent) collector.read(collector.raw, 1).get(0).value();
            assertThat(event.getSessionIndex()).isEqualTo(3);
            assertThat(event.getPage().getUrl()).isEqualTo("https://reviews.example/x?y=1");

            HttpResponse<String> bad = collector.get("/v1/p.gif?event_type=PAGE_VIEW&session_index=three");
            assertThat(bad.statusCode()).isEqualTo(200);
            assertThat(bad.headers().firstValue("X-ChartPulse-Rejected")).isPresent();
            assertThat(collector.read(collector.invalid, 1)).hasSize(1);
        }
    }

    @Test
    void healthReadinessMetricsAndUnknownPaths(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector = CollectorFixture.start(kafka, registry, topics)) {
            collector.post(TrackerEvents.batch(2).toString());
            collector.post("[1]");
            assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> collector.get("/readyz").statusCode() == 200);
            String metrics = collector.get("/metrics").body();
            assertThat(metrics)
                    .contains("chartpulse_collector_events_accepted_total 2.0")
                    .contains("chartpulse_collector_events_rejected_total{code=\"not_an_object\"} 1.0")
                    .contains("chartpulse_collector_requests_total{status=\"200\"}")
                    .contains("chartpulse_collector_produce_latency_seconds_bucket")
                    .contains("kafka_producer_");
            HttpResponse<String> missing = collector.get("/v2/whatever");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("not_found");
        }
    }

    @Test
    void answers503UntilTheRegistryCanBeReached(EmbeddedKafka kafka, TestTopics topics) {
        Map<String, String> config = CollectorFixture.config(
                kafka.bootstrapServers(), "http://127.0.0.1:1", topics.create("raw"), topics.create("invalid"));
        config.put("serde.max.retries", "0");
        try (CollectorServer server = CollectorServer.start(new CollectorConfig(config))) {
            HttpResponse<String> response = CollectorFixture.HTTP
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            TrackerEvents.batch(1).toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .join();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("\"code\":\"unavailable\"");
        }
    }

    @Test
    void pathPrefixIsConfigurable(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        try (CollectorFixture collector =
                CollectorFixture.start(kafka, registry, topics, CollectorConfig.PATH_PREFIX_CONFIG, "/t/x9")) {
            HttpResponse<String> response =
                    collector.send(HttpRequest.newBuilder(URI.create(collector.url + "/t/x9/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    TrackerEvents.batch(1).toString()))
                            .build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(collector.post(TrackerEvents.batch(1).toString()).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aPinnedSchemaVersionWritesThatVersionAndTheLatestWritesTheNewField(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) {
        ArrayNode first = TrackerEvents.batch(2);
        first.forEach(e -> ((ObjectNode) e).put("variant", "compact-table"));
        ArrayNode second = TrackerEvents.batch(2);
        second.forEach(e -> ((ObjectNode) e).put("variant", "compact-table"));
        try (CollectorFixture v1 =
                CollectorFixture.start(kafka, registry, topics, CollectorConfig.RAW_SCHEMA_VERSION_CONFIG, "1")) {
            assertThat(v1.post(first.toString()).statusCode()).isEqualTo(200);
            Map<String, String> latest =
                    CollectorFixture.config(kafka.bootstrapServers(), registry.url(), v1.raw, v1.invalid);
            try (CollectorServer server =
                    CollectorServer.start(new CollectorConfig(latest)).awaitPrepared(Duration.ofSeconds(30))) {
                HttpResponse<String> answer =
                        v1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(second.toString()))
                                .build());
                assertThat(answer.statusCode()).isEqualTo(200);
            }
            List<ConsumerRecord<String, Object>> records = v1.read(v1.raw, 4);
            assertThat(records)
                    .extracting(r -> ((ChartEvent) r.value()).getEventId().toString() + "="
                            + ((ChartEvent) r.value()).getVariant())
                    .containsExactlyInAnyOrder(
                            first.get(0).get("event_id").asText() + "=null",
                            first.get(1).get("event_id").asText() + "=null",
                            second.get(0).get("event_id").asText() + "=compact-table",
                            second.get(1).get("event_id").asText() + "=compact-table");
            String subject = registry.url() + "/subjects/" + v1.raw + "-value/versions";
            assertThat(v1.send(HttpRequest.newBuilder(URI.create(subject)).build())
                            .body())
                    .isEqualTo("[1,2]");
            assertThat(v1.send(HttpRequest.newBuilder(URI.create(subject + "/1"))
                                    .build())
                            .body())
                    .doesNotContain("variant");
        }
    }

    @Test
    void anUnreleasedSchemaVersionIsRefusedNamingTheKeyAndWhatIsValid() {
        assertThatThrownBy(() -> new CollectorConfig(Map.of(CollectorConfig.RAW_SCHEMA_VERSION_CONFIG, "99")))
                .hasMessageContaining(CollectorConfig.RAW_SCHEMA_VERSION_CONFIG)
                .hasMessageContaining("latest or a released ChartEvent version, 1 to ");
    }
}

package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The streams app on a real broker with the real registry: exactly once across a kill, and queries across instances. */
@ExtendWith(StackExtension.class)
class StreamsServiceIT {

    @Test
    void killedMidStreamAndRestartedEveryInputEventIsInTheEnrichedTopicExactlyOnce(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topicNames, @TempDir Path dir) throws Exception {
        StreamsIt.Topics t = StreamsIt.topics(topicNames, 3);
        List<ChartEvent> first = StreamsIt.events(400, Instant.now(), EventType.PAGE_VIEW);
        List<ChartEvent> second = StreamsIt.events(400, Instant.now().plusSeconds(1), EventType.PAGE_VIEW);
        StreamsIt.produce(kafka, registry, t.raw(), first);
        StreamsIt.produce(kafka, registry, t.raw(), first.subList(0, 50)); // tracker retries: duplicates
        Map<String, String> config = StreamsIt.config(
                kafka, registry, t, "eos-" + UUID.randomUUID(), dir.resolve("state"), FreePorts.pick());

        try (StreamsProcess app = StreamsProcess.start(config, dir.resolve("first.log"))) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> StreamsIt.readCommitted(kafka, registry, t.enriched(), 1, Duration.ofSeconds(1))
                                    .size()
                            >= 100);
            StreamsIt.produce(kafka, registry, t.raw(), second);
            app.kill();
        }
        StreamsIt.produce(kafka, registry, t.raw(), second.subList(0, 50));
        config.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(FreePorts.pick()));
        try (StreamsProcess again = StreamsProcess.start(config, dir.resolve("second.log"))) {
            List<EnrichedEvent> out =
                    StreamsIt.readCommitted(kafka, registry, t.enriched(), 800, Duration.ofSeconds(90));
            assertThat(out).hasSize(800);
            assertThat(out.stream().map(e -> e.getEventId().toString()).distinct())
                    .hasSize(800);
        }
    }

    @Test
    void interactiveQueriesGatherRowsFromEveryInstance(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topicNames, @TempDir Path dir) throws Exception {
        StreamsIt.Topics t = StreamsIt.topics(topicNames, 2);
        String app = "iq-" + UUID.randomUUID();
        Instant minute = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
        try (StreamsService a = StreamsService.start(
                        new StreamsAppConfig(StreamsIt.config(kafka, registry, t, app, dir.resolve("a"), 0)));
                StreamsService b = StreamsService.start(
                        new StreamsAppConfig(StreamsIt.config(kafka, registry, t, app, dir.resolve("b"), 0)))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> StreamsIt.get(a.url() + "/readyz").statusCode() == 200
                            && StreamsIt.get(b.url() + "/readyz").statusCode() == 200);
            List<ChartEvent> events = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                for (ChartEvent e : StreamsIt.events(5, minute.plusSeconds(p), EventType.PRODUCT_IMPRESSION)) {
                    e.getProduct().setProductId("p-" + p);
                    e.getProduct().setRank(p + 1);
                    e.getProduct().setMerchant("m-" + (p % 2));
                    events.add(e);
                }
            }
            // Two deal clicks on the first row (rank 1, merchant m-0).
            for (ChartEvent e : StreamsIt.events(2, minute.plusSeconds(20), EventType.OUTBOUND_CLICK)) {
                e.getProduct().setProductId("p-0");
                e.getProduct().setRank(1);
                e.getProduct().setMerchant("m-0");
                events.add(e);
            }
            // All inside one minute: an event minutes later could make the others late on its partition.
            events.addAll(StreamsIt.events(1, minute.plusSeconds(30), EventType.CHART_IMPRESSION));
            // A chart id that must be encoded in a URL path (a space, an ampersand), on another chart's windows.
            String spaced = "laptops 2026 & more";
            for (ChartEvent e : StreamsIt.events(3, minute.plusSeconds(31), EventType.CHART_IMPRESSION)) {
                e.getChart().setChartId(spaced);
                events.add(e);
            }
            StreamsIt.produce(kafka, registry, t.raw(), events);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Map<String, Object>> rows = StreamsIt.rows(a.url() + "/api/charts/laptops-2026/metrics?from="
                        + minute.toString() + "&to=" + minute.plusSeconds(60).toEpochMilli());
                assertThat(rows.stream().filter(r -> r.get("product_id") != null))
                        .hasSize(6);
                assertThat(rows.stream()
                                .mapToLong(r ->
                                        r.get("product_id") == null ? 0 : ((Number) r.get("impressions")).longValue())
                                .sum())
                        .isEqualTo(30);
            });
            assertThat(StreamsIt.rows(b.url() + "/api/charts/laptops-2026/metrics"))
                    .isEqualTo(StreamsIt.rows(a.url() + "/api/charts/laptops-2026/metrics"));
            List<Map<String, Object>> top =
                    StreamsIt.rows(a.url() + "/api/charts/laptops-2026/top-products?minutes=60&by=clicks");
            assertThat(top).hasSize(6);
            assertThat(StreamsIt.get(a.url() + "/api/charts").body()).contains("laptops-2026");

            // The dashboard's endpoints, asked of either instance: the same merged answer.
            String chart = "/api/charts/laptops-2026";
            for (StreamsService instance : List.of(a, b)) {
                List<Map<String, Object>> ranks = StreamsIt.rows(instance.url() + chart + "/ranks?minutes=60");
                assertThat(ranks).extracting(r -> r.get("rank")).containsExactly(1, 2, 3, 4, 5, 6);
                assertThat(ranks.get(0))
                        .containsEntry("impressions", 5)
                        .containsEntry("clicks", 2)
                        .containsEntry("outbound_clicks", 2)
                        .containsEntry("ctr", 0.4);
                assertThat(ranks.get(1)).containsEntry("impressions", 5).containsEntry("clicks", 0);
                List<Map<String, Object>> merchants = StreamsIt.rows(instance.url() + chart + "/merchants?minutes=60");
                assertThat(merchants).extracting(r -> r.get("merchant")).containsExactly("m-0", "m-1");
                assertThat(merchants.get(0)).containsEntry("impressions", 15).containsEntry("outbound_clicks", 2);
                assertThat(merchants.get(1)).containsEntry("impressions", 15).containsEntry("outbound_clicks", 0);
                assertThat(StreamsIt.rows(instance.url() + chart + "/products?minutes=60"))
                        .hasSize(6)
                        .allSatisfy(p -> assertThat(p).containsEntry("impressions", 5));
                List<Map<String, Object>> series = StreamsIt.rows(instance.url() + chart + "/series?minutes=60");
                assertThat(series).hasSize(60);
                Map<String, Object> theMinute = series.stream()
                        .filter(m -> m.get("minute").equals(minute.toString()))
                        .findFirst()
                        .orElseThrow();
                assertThat(theMinute)
                        .containsEntry("impressions", 1)
                        .containsEntry("clicks", 2)
                        .containsEntry("outbound_clicks", 2)
                        .containsEntry("product_impressions", 30);
                assertThat(series.stream()
                                .mapToLong(m -> ((Number) m.get("product_impressions")).longValue())
                                .sum())
                        .isEqualTo(30);
                Map<String, Object> summary = StreamsIt.object(instance.url() + chart + "/summary?minutes=60");
                @SuppressWarnings("unchecked")
                Map<String, Object> current = (Map<String, Object>) summary.get("current");
                assertThat(current)
                        .containsEntry("impressions", 1)
                        .containsEntry("product_impressions", 30)
                        .containsEntry("clicks", 2)
                        .containsEntry("outbound_clicks", 2)
                        .containsEntry("events", 33)
                        .containsEntry("ctr", 2.0);
                // The sample events' visitors, visitor-0 … visitor-4, counted once over the chart's windows.
                assertThat(((Number) current.get("visitors")).longValue()).isBetween(1L, 5L);
                assertThat(summary).containsEntry("visitors_5m", 0).containsEntry("minutes", 60);
                Map<String, Object> pipeline = StreamsIt.object(instance.url() + "/api/pipeline?minutes=60");
                @SuppressWarnings("unchecked")
                Map<String, Object> now = (Map<String, Object>) pipeline.get("current");
                assertThat(((Number) now.get("valid")).longValue()).isGreaterThanOrEqualTo(events.size());
                assertThat(now).containsEntry("rejected", 0).containsEntry("invalid_share", 0.0);
            }
            // The encoded id reaches the store through either instance, forwarded or not, on every chart endpoint.
            String encoded = "/api/charts/"
                    + URLEncoder.encode(spaced, StandardCharsets.UTF_8).replace("+", "%20");
            for (StreamsService instance : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                                () -> assertThat(StreamsIt.object(instance.url() + encoded + "/summary?minutes=60")
                                                .get("current"))
                                        .asInstanceOf(InstanceOfAssertFactories.MAP)
                                        .containsEntry("impressions", 3));
                assertThat(StreamsIt.rows(instance.url() + encoded + "/metrics"))
                        .filteredOn(r -> r.get("product_id") == null)
                        .extracting(r -> r.get("chart_id"))
                        .containsOnly(spaced)
                        .isNotEmpty();
                for (String endpoint : List.of("/series", "/ranks", "/merchants", "/products", "/top-products")) {
                    assertThat(StreamsIt.get(instance.url() + encoded + endpoint + "?minutes=60")
                                    .statusCode())
                            .as(endpoint)
                            .isEqualTo(200);
                }
            }
            assertThat(StreamsIt.get(a.url() + "/api/charts").body()).contains(spaced);

            HttpResponse<String> bad = StreamsIt.get(a.url() + chart + "/summary?minutes=0");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_minutes", "from 1 to 1440");
            assertThat(StreamsIt.get(a.url() + chart + "/top-products?by=price").body())
                    .contains("invalid_order");
            HttpResponse<String> page = StreamsIt.get(a.url() + "/dashboard/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>ChartPulse", "app.js");
            assertThat(StreamsIt.get(a.url() + "/dashboard/app.js").statusCode())
                    .isEqualTo(200);
            assertThat(StreamsIt.get(a.url() + "/metrics").body())
                    .contains("chartpulse_streams_events_valid_total")
                    .contains("chartpulse_streams_enrich_seconds_count")
                    .contains("chartpulse_streams_late_total{for=\"metrics\"}")
                    .contains("chartpulse_streams_late_total{for=\"sessions\"}")
                    .contains("kafka_stream");
            // Freshness: received_at of the newest enriched event, on whichever instance enriched it.
            double newest = 0;
            for (StreamsService instance : List.of(a, b)) {
                for (String line :
                        StreamsIt.get(instance.url() + "/metrics").body().split("\n")) {
                    if (line.startsWith("chartpulse_streams_newest_enriched_received_seconds ")) {
                        newest = Math.max(newest, Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
                    }
                }
            }
            assertThat(newest).as("freshness gauge, epoch seconds").isGreaterThan(1.7e9);
        }
    }
}

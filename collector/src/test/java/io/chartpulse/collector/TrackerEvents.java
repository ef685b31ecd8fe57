package io.chartpulse.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Tracker events as the browser sends them: the JSON form of ChartEvent, snake_case, epoch-millisecond times. */
public final class TrackerEvents {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TrackerEvents() {}

    /** A realistic outbound deal click (about 600 bytes as JSON). */
    public static ObjectNode dealClick(String anonymousId) {
        long now = System.currentTimeMillis();
        ObjectNode event = JSON.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", "OUTBOUND_CLICK");
        event.put("created_at", now - 1200);
        event.put("sent_at", now - 200);
        event.put("anonymous_id", anonymousId);
        event.put("session_id", "s-" + anonymousId);
        event.put("session_index", 2);
        event.put("page_view_id", "pv-" + anonymousId);
        ObjectNode page = event.putObject("page");
        page.put("url", "https://reviews.example/best-laptops?utm_source=news&utm_medium=email&utm_campaign=spring");
        page.put("path", "/best-laptops");
        page.put("title", "The best laptops of 2026, tested");
        page.put("referrer", "https://www.google.com/");
        ObjectNode chart = event.putObject("chart");
        chart.put("chart_id", "laptops-2026");
        chart.put("site_id", "reviews.example");
        chart.put("state_hash", "9f2c1a77");
        chart.put("sort_key", "price_asc");
        chart.putObject("filters").put("brand", "acme");
        ObjectNode product = event.putObject("product");
        product.put("product_id", "p-42");
        product.put("rank", 3);
        product.put("price", 999.5);
        product.put("currency", "EUR");
        product.put("merchant", "shop-a");
        product.put("impression_id", "imp-" + UUID.randomUUID());
        ObjectNode interaction = event.putObject("interaction");
        interaction.put("cta", "view_deal");
        interaction.put("target_url", "https://shop-a.example/p42?cpid=c1");
        interaction.put("click_id", "c1");
        ObjectNode context = event.putObject("context");
        context.put("language", "de-DE");
        context.put("timezone", "Europe/Berlin");
        context.put("viewport_width", 1280);
        context.put("viewport_height", 720);
        event.putObject("consent").put("state", "GRANTED");
        ObjectNode sdk = event.putObject("sdk");
        sdk.put("name", "chartpulse-js");
        sdk.put("version", "0.1.0");
        return event;
    }

    /** A batch of {@code n} deal clicks as a JSON array. */
    public static ArrayNode batch(int n) {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            batch.add(dealClick("anon-" + UUID.randomUUID()));
        }
        return batch;
    }
}

package io.chartpulse.cli.dev;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The development stack's demo catalog: the chart {@value #CHART} and its ten laptops ({@code demo-catalog.tsv} beside
 * this class), written to {@code chart.catalog.v1} so the streams app joins names, brands and prices into events.
 */
public final class DemoCatalog {

    /** The demo page's chart. */
    public static final String CHART = "laptops-2026";

    static final String RESOURCE = "demo-catalog.tsv";

    private DemoCatalog() {}

    /** The products as the resource lists them: id, name, brand, price in EUR. */
    static List<String[]> products() {
        try (InputStream in = DemoCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** Writes the catalog (every product, then the chart) to {@code chart.catalog.v1}. */
    public static void load(String bootstrapServers, Map<String, ?> serdeConfig) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(serdeConfig, false);
        String topic = Topic.CATALOG.topicName();
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (String[] p : products()) {
                CatalogEntry entry = CatalogEntry.newBuilder()
                        .setEntryType(CatalogEntryType.PRODUCT)
                        .setId(p[0])
                        .setName(p[1])
                        .setBrand(p[2])
                        .setCategory("laptops")
                        .setPrice(Double.parseDouble(p[3]))
                        .setCurrency("EUR")
                        .setSiteId("reviews.example")
                        .setUpdatedAt(now)
                        .build();
                producer.send(new ProducerRecord<>(topic, "product:" + p[0], serializer.serialize(topic, entry)));
            }
            CatalogEntry chart = CatalogEntry.newBuilder()
                    .setEntryType(CatalogEntryType.CHART)
                    .setId(CHART)
                    .setName("Best laptops 2026")
                    .setCategory("laptops")
                    .setSiteId("reviews.example")
                    .setUpdatedAt(now)
                    .build();
            producer.send(new ProducerRecord<>(topic, "chart:" + CHART, serializer.serialize(topic, chart)));
        }
    }
}

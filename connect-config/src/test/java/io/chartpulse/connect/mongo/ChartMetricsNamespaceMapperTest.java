package io.chartpulse.connect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.kafka.connect.sink.MongoSinkTopicConfig;
import com.mongodb.kafka.connect.sink.converter.SinkDocument;
import com.mongodb.kafka.connect.sink.namespace.mapping.NamespaceMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class ChartMetricsNamespaceMapperTest {

    static final String TOPIC = "chart.metrics.minute.v1";

    static Map<String, String> connector() {
        Map<String, String> config = new HashMap<>();
        config.put("topics", TOPIC);
        config.put("connection.uri", "mongodb://127.0.0.1:1");
        config.put("database", "chartpulse");
        config.put("collection", "chart_metrics");
        config.put("namespace.mapper", ChartMetricsNamespaceMapper.class.getName());
        return config;
    }

    // The mapper as the sink builds it from the connector's config (MongoSinkTopicConfig instantiates and configures
    // the class named by namespace.mapper).
    static NamespaceMapper mapper(Map<String, String> config) {
        return new MongoSinkTopicConfig(TOPIC, config, true).getNamespaceMapper();
    }

    static MongoNamespace map(NamespaceMapper mapper, String value) {
        return mapper.getNamespace(null, new SinkDocument(null, value == null ? null : BsonDocument.parse(value)));
    }

    @Test
    void chartRowsGoToTheCollectionAndProductRowsToTheirOwn() {
        NamespaceMapper mapper = mapper(connector());
        assertThat(mapper).isInstanceOf(ChartMetricsNamespaceMapper.class);
        assertThat(map(mapper, "{chart_id: 'laptops', product_id: null, clicks: 3}"))
                .isEqualTo(new MongoNamespace("chartpulse", "chart_metrics"));
        assertThat(map(mapper, "{chart_id: 'laptops', clicks: 3}"))
                .as("a row without the field is a chart's")
                .isEqualTo(new MongoNamespace("chartpulse", "chart_metrics"));
        assertThat(map(mapper, "{chart_id: 'laptops', product_id: 'p-01', clicks: 1}"))
                .isEqualTo(new MongoNamespace("chartpulse", "product_metrics"));
        assertThat(map(mapper, null)).isEqualTo(new MongoNamespace("chartpulse", "chart_metrics"));
    }

    @Test
    void theProductCollectionIsAConnectorProperty() {
        Map<String, String> config = connector();
        config.put(ChartMetricsNamespaceMapper.PRODUCT_COLLECTION_CONFIG, "metrics_by_product");
        assertThat(map(mapper(config), "{chart_id: 'c', product_id: 'p'}"))
                .isEqualTo(new MongoNamespace("chartpulse", "metrics_by_product"));
    }

    @Test
    void oneCollectionForBothKindsIsRefusedNamingTheProperty() {
        Map<String, String> config = connector();
        config.put(ChartMetricsNamespaceMapper.PRODUCT_COLLECTION_CONFIG, "chart_metrics");
        assertThatThrownBy(() -> mapper(config))
                .hasStackTraceContaining(ChartMetricsNamespaceMapper.PRODUCT_COLLECTION_CONFIG)
                .hasStackTraceContaining("other than the chart rows' (chart_metrics)");
    }

    @Test
    void theConnectorsConfigUsesTheMapper() throws Exception {
        String json = Files.readString(Path.of("connectors", "mongo-chart-metrics.json"));
        assertThat(json)
                .contains("\"namespace.mapper\": \"" + ChartMetricsNamespaceMapper.class.getName() + "\"")
                .contains("\"" + ChartMetricsNamespaceMapper.PRODUCT_COLLECTION_CONFIG + "\": \""
                        + ChartMetricsNamespaceMapper.PRODUCT_COLLECTION_DEFAULT + "\"");
    }
}

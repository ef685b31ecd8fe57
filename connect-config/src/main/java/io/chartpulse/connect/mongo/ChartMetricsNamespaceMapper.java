package io.chartpulse.connect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.kafka.connect.sink.MongoSinkTopicConfig;
import com.mongodb.kafka.connect.sink.converter.SinkDocument;
import com.mongodb.kafka.connect.sink.namespace.mapping.NamespaceMapper;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The MongoDB sink's namespace mapper for the minute metrics topic, which carries two kinds of row: a chart's
 * ({@code product_id} null) and a chart × product's. Each goes to a collection of its own, so that every collection
 * has one grain and a BI tool summing {@code chart_metrics} never counts a click once for the chart and once more
 * for its product: chart rows to the connector's {@code collection} ({@code chart_metrics}), product rows to
 * {@value #PRODUCT_COLLECTION_CONFIG} (default {@value #PRODUCT_COLLECTION_DEFAULT}), in the connector's
 * {@code database}.
 */
public final class ChartMetricsNamespaceMapper implements NamespaceMapper {

    /** The connector property naming the collection of chart × product rows. */
    public static final String PRODUCT_COLLECTION_CONFIG = "chartpulse.product.metrics.collection";

    /** Its default. */
    public static final String PRODUCT_COLLECTION_DEFAULT = "product_metrics";

    private MongoNamespace charts;
    private MongoNamespace products;

    @Override
    public void configure(MongoSinkTopicConfig config) {
        String database = config.getString(MongoSinkTopicConfig.DATABASE_CONFIG);
        String collection = config.getString(MongoSinkTopicConfig.COLLECTION_CONFIG);
        if (collection == null || collection.isBlank()) {
            throw new ConfigException(
                    MongoSinkTopicConfig.COLLECTION_CONFIG,
                    collection,
                    "the chart rows' collection must be set for " + getClass().getSimpleName());
        }
        Object product = config.originals().get(PRODUCT_COLLECTION_CONFIG);
        String productCollection = product == null
                ? PRODUCT_COLLECTION_DEFAULT
                : product.toString().trim();
        if (productCollection.isEmpty() || productCollection.equals(collection)) {
            throw new ConfigException(
                    PRODUCT_COLLECTION_CONFIG,
                    product,
                    "must name a collection other than the chart rows' (" + collection + ")");
        }
        charts = new MongoNamespace(database, collection);
        products = new MongoNamespace(database, productCollection);
    }

    @Override
    public MongoNamespace getNamespace(SinkRecord record, SinkDocument document) {
        BsonDocument value = document.getValueDoc().orElse(null);
        BsonValue product = value == null ? null : value.get("product_id");
        return product == null || product.isNull() ? charts : products;
    }
}

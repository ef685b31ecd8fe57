package io.chartpulse.serde.connect;

import io.chartpulse.serde.avro.AvroSerdeConfig;
import io.chartpulse.serde.avro.FramedAvroReader;
import io.chartpulse.serde.avro.FramedAvroWriter;
import io.chartpulse.serde.avro.SubjectNameStrategy;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Kafka Connect converter between Confluent-framed Avro and Connect's {@code Schema}/{@code Struct}, configured like
 * Confluent's {@code AvroConverter} ({@code key.converter.schema.registry.url=...}). Reading keeps the writer's
 * record name as the Connect schema name and its registry version as the schema version; logical types become
 * Connect's {@code Timestamp}, {@code Date}, {@code Time} and {@code Decimal}, so a sink such as MongoDB's stores
 * real dates. A null record (tombstone) converts to {@link SchemaAndValue#NULL} and back to null. Failures are
 * {@link DataException}s naming the topic, which Connect's error handling can route to a dead-letter topic.
 */
public class AvroConverter implements Converter {

    private final AvroData avroData = new AvroData();
    private SchemaRegistryClient client;
    private FramedAvroWriter writer;
    private FramedAvroReader reader;
    private SubjectNameStrategy strategy;
    private boolean isKey;

    public AvroConverter() {}

    /** Shares a registry client; {@link #configure} is still required. */
    public AvroConverter(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = new SchemaRegistryClient(config.registrySettings());
        }
        this.isKey = isKey;
        this.writer = new FramedAvroWriter(client, config, isKey);
        this.reader = new FramedAvroReader(client);
        this.strategy = config.subjectNameStrategy(isKey);
    }

    public ConfigDef config() {
        return AvroSerdeConfig.CONFIG;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        requireConfigured();
        if (value == null && (schema == null || schema.isOptional())) {
            return null;
        }
        if (schema == null) {
            throw new DataException("AvroConverter needs a Connect schema to write a "
                    + value.getClass().getName() + " to topic " + topic
                    + "; schemaless data cannot be written as Avro");
        }
        try {
            org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);
            Object datum = avroData.fromConnectValue(schema, avro, value);
            return writer.write(topic, avro, datum, GenericData.get());
        } catch (RegistryUnavailableException e) {
            throw outage(topic, e);
        } catch (RuntimeException e) {
            throw new DataException(
                    "Cannot convert " + (isKey ? "key" : "value") + " for topic " + topic + " to Avro: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        requireConfigured();
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            FramedAvroReader.Decoded decoded = reader.read(topic, value, null, GenericData.get());
            Schema schema = avroData.toConnectSchema(decoded.writerSchema(), version(topic, decoded));
            return new SchemaAndValue(schema, avroData.toConnectValue(schema, decoded.writerSchema(), decoded.value()));
        } catch (RegistryUnavailableException e) {
            throw outage(topic, e);
        } catch (RuntimeException e) {
            throw new DataException(
                    "Cannot convert " + (isKey ? "key" : "value") + " from topic " + topic + " to Connect data: "
                            + e.getMessage(),
                    e);
        }
    }

    // The registry version of the writer schema under the topic's subject; records only.
    private Integer version(String topic, FramedAvroReader.Decoded decoded) {
        if (decoded.writerSchema().getType() != org.apache.avro.Schema.Type.RECORD) {
            return null;
        }
        if (decoded.writerSchema().getObjectProp(AvroData.CONNECT_VERSION_PROP) instanceof Number n) {
            return n.intValue();
        }
        try {
            return client.versionOf(strategy.subjectName(topic, isKey, decoded.writerSchema()), decoded.schemaId());
        } catch (RuntimeException notUnderThisSubject) {
            return null;
        }
    }

    // A registry outage is not bad data: Connect retries a RetriableException (errors.retry.timeout) instead of
    // sending a valid record to the dead-letter queue at once.
    private RetriableException outage(String topic, RegistryUnavailableException e) {
        return new RetriableException(
                "Schema registry unavailable converting " + (isKey ? "key" : "value") + " of topic " + topic + ": "
                        + e.getMessage(),
                e);
    }

    private void requireConfigured() {
        if (writer == null) {
            throw new DataException(
                    "AvroConverter is not configured: set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG);
        }
    }
}

package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.ConnectWorkerProcess;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.schemas.evolution.SchemaHistory;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema evolution into the lake, with the contract's own released versions: a table made from EnrichedEvent v1
 * (schemas/history) holds v1 records; then v2 — released with one more optional field, {@code variant} — reaches the
 * sink, and the field becomes a new optional column of {@code enriched_events} (the rows written before read it as
 * null). An incompatible version is refused by the registry's compatibility check, so it never reaches the sink or
 * the table.
 */
@ExtendWith(KafkaExtension.class)
class LakeEvolutionIT {

    static final String TOPIC = "lake-it.evolution.enriched";
    /** The optional field EnrichedEvent v2 added. */
    static final String FIELD = "variant";

    static Path dir;
    static LakeStack stack;

    @BeforeAll
    static void start(EmbeddedKafka kafka) throws IOException {
        dir = Files.createDirectories(Path.of("target", "lake-it").resolve("evolution-" + System.currentTimeMillis()));
        stack = new LakeStack(kafka, dir, Duration.ofSeconds(3));
        LakeTables.ensure(stack.catalog);
        stack.createTopics(LakeTable.ENRICHED_EVENTS, 1);
        kafka.createTopic(TOPIC, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A released version of EnrichedEvent, as the schemas jar packages it. */
    static Schema released(String label) {
        return SchemaHistory.fromClasspath(
                        ChartPulseSchema.ENRICHED_EVENT.schema().getName())
                .stream()
                .filter(v -> v.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("EnrichedEvent " + label + " is not released"))
                .schema();
    }

    /** {@code event} (the current contract) read as a record of {@code schema}, by Avro's schema resolution. */
    static GenericRecord as(EnrichedEvent event, Schema schema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<EnrichedEvent>(EnrichedEvent.getClassSchema()).write(event, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(EnrichedEvent.getClassSchema(), schema, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    static void sendGeneric(List<GenericRecord> records) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(stack.registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()),
                new StringSerializer(),
                (t, v) -> v)) {
            for (GenericRecord record : records) {
                producer.send(new ProducerRecord<>(TOPIC, "k", serializer.serialize(TOPIC, record)));
            }
            producer.flush();
        }
    }

    @Test
    void aNewOptionalFieldBecomesAColumnAndAnIncompatibleChangeNeverReachesTheTable() throws Exception {
        setCompatibility(TOPIC + "-value", "BACKWARD_TRANSITIVE");
        LakeTable table = LakeTable.ENRICHED_EVENTS;
        // The table as a v1 deployment made it: from the released v1, laid out and configured as the lake's.
        org.apache.iceberg.Schema tableV1 = AvroToIceberg.schema(released("v1"));
        stack.catalog.dropTable(table.identifier());
        stack.catalog
                .buildTable(table.identifier(), tableV1)
                .withPartitionSpec(table.spec(tableV1))
                .withProperties(LakeTable.properties())
                .create();
        Map<String, String> config = new HashMap<>(LakeStack.connectorConfig(table));
        config.put("topics", TOPIC);
        config.put("tasks.max", "1");
        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(
                stack.kafka.bootstrapServers(),
                "lake-evolution-it",
                List.of(LakeStack.pluginPath()),
                Map.of(),
                stack.environment,
                dir.resolve("worker"))) {
            ConnectorRuns.create(worker::request, "iceberg-evolution", config);
            List<GenericRecord> v1 = new ArrayList<>();
            for (EnrichedEvent e : LakeSinkIT.events(0, 100)) {
                v1.add(as(e, released("v1")));
            }
            assertThat(v1.get(0).getSchema().getField(FIELD))
                    .as("v1 has no " + FIELD)
                    .isNull();
            sendGeneric(v1);
            stack.awaitRows(table, 100, Duration.ofSeconds(90));
            assertThat(stack.catalog.loadTable(table.identifier()).schema().findField(FIELD))
                    .isNull();

            Schema v2 = released("v2");
            List<GenericRecord> later = new ArrayList<>();
            for (EnrichedEvent e : LakeSinkIT.events(100, 100)) {
                GenericRecord record = as(e, v2);
                record.put(FIELD, "B");
                later.add(record);
            }
            sendGeneric(later);
            List<Record> rows = stack.awaitRows(table, 200, Duration.ofSeconds(90));

            org.apache.iceberg.Schema evolved =
                    stack.catalog.loadTable(table.identifier()).schema();
            assertThat(evolved.findField(FIELD)).as("the new column").isNotNull();
            assertThat(evolved.findField(FIELD).isOptional()).isTrue();
            assertThat(evolved.findType(FIELD)).isEqualTo(Types.StringType.get());
            long oldRows = rows.stream().filter(r -> r.getField(FIELD) == null).count();
            long newRows =
                    rows.stream().filter(r -> "B".equals(r.getField(FIELD))).count();
            assertThat(oldRows)
                    .as("rows written before the column existed read it as null")
                    .isEqualTo(100);
            assertThat(newRows).isEqualTo(100);

            // v3 turns is_bot into a string: BACKWARD_TRANSITIVE refuses it at registration, before any record exists.
            String v2Json = v2.toString();
            int isBot = v2Json.indexOf("{\"name\":\"is_bot\",\"type\":\"boolean\"");
            int end = v2Json.indexOf('}', isBot) + 1;
            String v3Json = v2Json.substring(0, isBot)
                    + v2Json.substring(isBot, end)
                            .replace("\"type\":\"boolean\"", "\"type\":\"string\"")
                            .replace("\"default\":false", "\"default\":\"no\"")
                    + v2Json.substring(end);
            Schema v3 = new Schema.Parser().parse(v3Json);
            assertThat(v3.getField("is_bot").schema().getType()).isEqualTo(Schema.Type.STRING);
            GenericRecord bad = new GenericData.Record(v3);
            for (Schema.Field f : v3.getFields()) {
                bad.put(
                        f.name(),
                        f.name().equals("is_bot") ? "yes" : later.get(0).get(f.name()));
            }
            assertThatThrownBy(() -> sendGeneric(List.of(bad)))
                    .hasMessageContaining(TOPIC + "-value")
                    .hasMessageContaining("incompatible");
            Thread.sleep(Duration.ofSeconds(6).toMillis());
            assertThat(stack.rows(table)).hasSize(200);
            assertThat(stack.catalog.loadTable(table.identifier()).schema().findType("is_bot"))
                    .isEqualTo(Types.BooleanType.get());
            worker.request("DELETE", "/connectors/iceberg-evolution", null);
        }
    }

    static void setCompatibility(String subject, String level) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.registry.url() + "/config/" + subject))
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}

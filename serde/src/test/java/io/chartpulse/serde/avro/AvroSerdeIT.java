package io.chartpulse.serde.avro;

import static io.chartpulse.serde.RegistryTestSupport.serdeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.RegistryClientSettings;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serializer, deserializer and serdes against the real registry server (and a real broker). */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvroSerdeIT {

    private static final Schema THING_V1 =
            parse("{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.chartpulse.test\","
                    + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}]}");
    private static final Schema THING_V2 =
            parse("{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.chartpulse.test\","
                    + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"},"
                    + "{\"name\":\"c\",\"type\":\"string\",\"default\":\"new\"}]}");

    private EmbeddedRegistry registry;
    private SchemaRegistryClient client;

    @BeforeAll
    void start(EmbeddedRegistry shared) {
        registry = shared;
        client = new SchemaRegistryClient(RegistryClientSettings.of(registry.url()));
    }

    @Test
    void serializerWritesTheWireFormatByteForByte() {
        KafkaAvroSerializer serializer = serializer(Map.of());
        byte[] string = serializer.serialize("wire-string", "hi");
        int stringId = client.latest("wire-string-value").id();
        // 0x00, id, then Avro: zig-zag length 2 = 0x04, 'h', 'i'
        assertThat(string)
                .containsExactly(
                        0x00, b(stringId >>> 24), b(stringId >>> 16), b(stringId >>> 8), b(stringId), 0x04, 'h', 'i');

        GenericRecord thing = new GenericData.Record(THING_V1);
        thing.put("a", -1);
        thing.put("b", "x");
        byte[] record = serializer.serialize("wire-record", thing);
        int recordId = client.latest("wire-record-value").id();
        // a = -1 zig-zags to 0x01; b = "x" is length 1 (0x02) then 'x'
        assertThat(record)
                .containsExactly(
                        0x00, b(recordId >>> 24), b(recordId >>> 16), b(recordId >>> 8), b(recordId), 0x01, 0x02, 'x');
        assertThat(serializer.serialize("wire-record", null)).isNull();
    }

    @Test
    void deserializerReadsHandBuiltBytes() {
        int id = client.register("hand-value", Schema.create(Schema.Type.LONG));
        byte[] bytes =
                ByteBuffer.allocate(6).put((byte) 0).putInt(id).put((byte) 0x54).array(); // 42 zig-zags to 0x54
        assertThat(deserializer(Map.of()).deserialize("hand", bytes)).isEqualTo(42L);
        assertThat(deserializer(Map.of()).deserialize("hand", null)).isNull();
    }

    @Test
    void everyChartPulseRecordRoundTripsThroughTheSpecificSerde() {
        for (SpecificRecord sample : SampleRecords.allTopLevel()) {
            @SuppressWarnings("unchecked")
            Class<SpecificRecord> type = (Class<SpecificRecord>) sample.getClass();
            try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(type)) {
                serde.configure(serdeConfig(registry), false);
                String topic = "roundtrip-" + sample.getSchema().getName();
                byte[] bytes = serde.serializer().serialize(topic, sample);
                assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(sample);
            }
        }
        KafkaAvroDeserializer specific = deserializer(Map.of("specific.avro.reader", true));
        byte[] bytes = serializer(Map.of()).serialize("roundtrip-any", SampleRecords.chartEvent());
        assertThat(specific.deserialize("roundtrip-any", bytes)).isEqualTo(SampleRecords.chartEvent());
        Object generic = deserializer(Map.of()).deserialize("roundtrip-any", bytes);
        assertThat(generic).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) generic).get("created_at")).isEqualTo(SampleRecords.CREATED);
    }

    @Test
    void oldWriterToNewReaderFillsDefaults() {
        // A ChartEvent written by an old tracker build whose schema lacked sample_rate.
        Schema old = withoutField(ChartEvent.getClassSchema(), "sample_rate");
        GenericRecord oldEvent = toGeneric(SampleRecords.chartEvent(), old);
        byte[] bytes = serializer(Map.of()).serialize("evolve-old", oldEvent);

        SpecificAvroDeserializer<ChartEvent> deserializer = new SpecificAvroDeserializer<>(ChartEvent.class, client);
        deserializer.configure(serdeConfig(registry), false);
        ChartEvent read = deserializer.deserialize("evolve-old", bytes);
        assertThat(read.getSampleRate()).isNull();
        assertThat(read.getEventId()).isEqualTo(SampleRecords.chartEvent().getEventId());
        assertThat(read.getPage()).isEqualTo(SampleRecords.chartEvent().getPage());
    }

    @Test
    void newWriterToOldReaderIgnoresNewFields() {
        GenericRecord v2 = new GenericData.Record(THING_V2);
        v2.put("a", 7);
        v2.put("b", "bee");
        v2.put("c", "sea");
        byte[] bytes = serializer(Map.of()).serialize("evolve-new", v2);

        FramedAvroReader reader = new FramedAvroReader(client);
        GenericRecord asV1 = (GenericRecord)
                reader.read("evolve-new", bytes, THING_V1, GenericData.get()).value();
        assertThat(asV1.getSchema()).isEqualTo(THING_V1);
        assertThat(asV1.get("a")).isEqualTo(7);
        assertThat(asV1.get("b").toString()).isEqualTo("bee");
    }

    @Test
    void withoutAutoRegisterTheSchemaMustExist() {
        KafkaAvroSerializer strict = serializer(Map.of("auto.register.schemas", false));
        GenericRecord thing = new GenericData.Record(THING_V1);
        thing.put("a", 1);
        thing.put("b", "x");
        assertThatThrownBy(() -> strict.serialize("strict", thing))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("strict-value")
                .hasMessageContaining("40401");
        client.register("strict-value", THING_V1);
        assertThat(strict.serialize("strict", thing))
                .startsWith(WireFormat.header(client.latest("strict-value").id()));
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchema() {
        client.register("latest-value", THING_V1);
        int v2 = client.register("latest-value", THING_V2);
        GenericRecord thing = new GenericData.Record(THING_V1);
        thing.put("a", 3);
        thing.put("b", "x");

        byte[] bytes = serializer(Map.of("auto.register.schemas", false, "use.latest.version", true))
                .serialize("latest", thing);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2);
        GenericRecord read = (GenericRecord) deserializer(Map.of()).deserialize("latest", bytes);
        assertThat(read.get("c").toString()).isEqualTo("new");
        assertThat(read.get("a")).isEqualTo(3);
    }

    @Test
    void subjectNamingStrategiesDecideTheSubject() {
        GenericRecord thing = new GenericData.Record(THING_V1);
        thing.put("a", 1);
        thing.put("b", "x");
        serializer(Map.of("value.subject.name.strategy", "RecordNameStrategy")).serialize("naming", thing);
        serializer(Map.of(
                        "value.subject.name.strategy",
                        "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
                .serialize("naming", thing);
        assertThat(client.subjects()).contains("io.chartpulse.test.Thing", "naming-io.chartpulse.test.Thing");
    }

    @Test
    void failuresAreSerializationExceptionsThatSayWhatWasWrong() {
        KafkaAvroDeserializer deserializer = deserializer(Map.of());
        assertThatThrownBy(() -> deserializer.deserialize("bad", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte")
                .hasMessageContaining("bad");
        assertThatThrownBy(() -> deserializer.deserialize("bad", WireFormat.header(987_654)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 987654");
        assertThatThrownBy(() -> new KafkaAvroSerializer().serialize("bad", "x"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> serializer(Map.of()).serialize("bad", new Object()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Object");

        int id = client.register("truncated-value", THING_V1);
        byte[] truncated =
                ByteBuffer.allocate(6).put((byte) 0).putInt(id).put((byte) 0x02).array();
        assertThatThrownBy(() -> deserializer.deserialize("truncated", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + id);

        KafkaAvroSerializer unreachable = new KafkaAvroSerializer();
        unreachable.configure(
                Map.of("schema.registry.url", "http://127.0.0.1:1", "max.retries", 1, "retries.wait.ms", 1), false);
        // An outage is not bad data: it surfaces as its own exception, so callers retry instead of rejecting.
        assertThatThrownBy(() -> unreachable.serialize("down", "x"))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("down-value")
                .hasMessageContaining("unavailable");
        KafkaAvroDeserializer unreachableReader = new KafkaAvroDeserializer();
        unreachableReader.configure(
                Map.of("schema.registry.url", "http://127.0.0.1:1", "max.retries", 1, "retries.wait.ms", 1), false);
        assertThatThrownBy(() -> unreachableReader.deserialize("down", truncated))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("schema id " + id);
    }

    @Test
    void aFailedWriteLeavesNothingBehindForTheNextRecord() {
        KafkaAvroSerializer serializer = serializer(Map.of());
        GenericRecord bad = new GenericData.Record(THING_V1);
        bad.put("a", 5);
        bad.put("b", 42);
        assertThatThrownBy(() -> serializer.serialize("after-failure", bad)).isInstanceOf(SerializationException.class);

        GenericRecord good = new GenericData.Record(THING_V1);
        good.put("a", 6);
        good.put("b", "fine");
        GenericRecord read = (GenericRecord)
                deserializer(Map.of()).deserialize("after-failure", serializer.serialize("after-failure", good));
        assertThat(read.get("a")).isEqualTo(6);
        assertThat(read.get("b").toString()).isEqualTo("fine");
    }

    @Test
    void failsOverToTheNextRegistryUrl() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:1," + registry.url()), false);
        assertThat(serializer.serialize("failover", "x")).isNotNull();
    }

    @Test
    void producerAndConsumerThroughTheBroker(EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.create("chart.events.raw.v1", 2);
        Map<String, Object> producerConfig =
                serdeConfig(registry, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, ChartEvent> producer = new KafkaProducer<>(
                producerConfig, new StringSerializer(), serde(producerConfig).serializer())) {
            producer.send(new ProducerRecord<>(topic, "anon-1", SampleRecords.chartEvent()));
        }
        Map<String, Object> consumerConfig = serdeConfig(
                registry,
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "serde-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<ChartEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, ChartEvent> consumer = new KafkaConsumer<>(
                consumerConfig, new StringDeserializer(), serde(consumerConfig).deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (events.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, ChartEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(r.value());
                }
            }
        }
        assertThat(events).containsExactly(SampleRecords.chartEvent());
        assertThat(client.subjects()).contains(topic + "-value");
    }

    private SpecificAvroSerde<ChartEvent> serde(Map<String, Object> config) {
        SpecificAvroSerde<ChartEvent> serde = new SpecificAvroSerde<>(ChartEvent.class);
        serde.configure(config, false);
        return serde;
    }

    private KafkaAvroSerializer serializer(Map<String, Object> extra) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        Map<String, Object> config = serdeConfig(registry);
        config.putAll(extra);
        serializer.configure(config, false);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer(Map<String, Object> extra) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        Map<String, Object> config = serdeConfig(registry);
        config.putAll(extra);
        deserializer.configure(config, false);
        return deserializer;
    }

    private static Schema withoutField(Schema schema, String field) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (!f.name().equals(field)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    // Re-encodes a specific record with an older schema, the way an old producer would have built it.
    private static GenericRecord toGeneric(SpecificRecord record, Schema old) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(record.getSchema(), old)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static byte b(int value) {
        return (byte) value;
    }
}

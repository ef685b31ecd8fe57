package io.chartpulse.serde.connect;

import static io.chartpulse.serde.RegistryTestSupport.serdeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroDeserializer;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Connect converter against the real registry: every type both ways, enriched events, tombstones. */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvroConverterIT {

    private EmbeddedRegistry registry;
    private AvroConverter converter;

    @BeforeAll
    void start(EmbeddedRegistry shared) {
        registry = shared;
        converter = new AvroConverter();
        converter.configure(serdeConfig(registry), false);
    }

    private static final org.apache.kafka.connect.data.Schema ADDRESS = SchemaBuilder.struct()
            .name("io.chartpulse.test.Address")
            .field("city", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .optional()
            .build();

    private static final org.apache.kafka.connect.data.Schema ENUM = SchemaBuilder.string()
            .name("io.chartpulse.test.Color")
            .parameter(AvroData.ENUM_PARAMETER, "io.chartpulse.test.Color")
            .parameter(AvroData.ENUM_PARAMETER + ".RED", "RED")
            .parameter(AvroData.ENUM_PARAMETER + ".GREEN", "GREEN")
            .build();

    private static final org.apache.kafka.connect.data.Schema EVERYTHING = SchemaBuilder.struct()
            .name("io.chartpulse.test.Everything")
            .version(3)
            .field("i32", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("i64", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("f32", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .field("f64", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
            .field("flag", org.apache.kafka.connect.data.Schema.BOOLEAN_SCHEMA)
            .field("text", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("raw", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
            .field("maybe", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("absent", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .field("color", ENUM)
            .field(
                    "tags",
                    SchemaBuilder.array(org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                            .build())
            .field(
                    "scores",
                    SchemaBuilder.map(
                                    org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                                    org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
                            .build())
            .field("at", Timestamp.SCHEMA)
            .field("day", Date.SCHEMA)
            .field("clock", Time.SCHEMA)
            .field(
                    "price",
                    Decimal.builder(2)
                            .parameter(AvroData.DECIMAL_PRECISION_PARAMETER, "10")
                            .build())
            .field("address", ADDRESS)
            .field("no_address", ADDRESS)
            .build();

    @Test
    void everyTypeRoundTripsThroughAvroAndTheRegistry() {
        Struct value = new Struct(EVERYTHING)
                .put("i32", 42)
                .put("i64", 1L << 40)
                .put("f32", 1.5f)
                .put("f64", 2.25)
                .put("flag", true)
                .put("text", "héllo")
                .put("raw", new byte[] {1, 2, 3})
                .put("maybe", "here")
                .put("absent", null)
                .put("color", "GREEN")
                .put("tags", List.of("a", "b"))
                .put("scores", Map.of("x", 1, "y", 2))
                .put("at", new java.util.Date(1_700_000_000_123L))
                .put("day", new java.util.Date(86_400_000L * 19_000))
                .put("clock", new java.util.Date(45_296_789L))
                .put("price", new BigDecimal("1234.56"))
                .put("address", new Struct(ADDRESS).put("city", "Berlin"));

        byte[] bytes = converter.fromConnectData("everything", EVERYTHING, value);
        SchemaAndValue back = converter.toConnectData("everything", bytes);

        Struct struct = (Struct) back.value();
        assertThat(back.schema().name()).isEqualTo("io.chartpulse.test.Everything");
        assertThat(back.schema().version()).isEqualTo(3);
        for (Field field : EVERYTHING.fields()) {
            Object expected = value.get(field.name());
            Object actual = struct.get(field.name());
            if (expected instanceof byte[] bytesExpected) {
                assertThat((byte[]) actual).as(field.name()).containsExactly(bytesExpected);
            } else if (expected instanceof Struct nested) {
                assertThat(((Struct) actual).getString("city")).isEqualTo(nested.getString("city"));
            } else {
                assertThat(actual).as(field.name()).isEqualTo(expected);
            }
            assertThat(back.schema().field(field.name()).schema().isOptional())
                    .as(field.name())
                    .isEqualTo(field.schema().isOptional());
        }
        assertThat(back.schema().field("at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(back.schema().field("day").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(back.schema().field("clock").schema().name()).isEqualTo(Time.LOGICAL_NAME);
        assertThat(back.schema().field("price").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(back.schema().field("color").schema().parameters())
                .containsEntry(AvroData.ENUM_PARAMETER, "io.chartpulse.test.Color")
                .containsEntry(AvroData.ENUM_PARAMETER + ".RED", "RED");

        // The Avro written is a real enum, decimal and timestamp, readable by the plain deserializer.
        GenericRecord avro = (GenericRecord) deserializer().deserialize("everything", bytes);
        assertThat(avro.getSchema().getField("color").schema().getType()).isEqualTo(Schema.Type.ENUM);
        assertThat(avro.getSchema().getField("at").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
        assertThat(avro.get("price")).isEqualTo(new BigDecimal("1234.56"));
    }

    @Test
    void enrichedEventsKeepTimestampsAsConnectTimestamps() {
        byte[] bytes = serializer().serialize("enriched", SampleRecords.enrichedEvent());

        SchemaAndValue connect = converter.toConnectData("enriched", bytes);

        Struct struct = (Struct) connect.value();
        assertThat(connect.schema().name()).isEqualTo("io.chartpulse.avro.EnrichedEvent");
        assertThat(connect.schema().version()).isEqualTo(1);
        assertThat(connect.schema().field("created_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(struct.get("created_at")).isEqualTo(java.util.Date.from(SampleRecords.CREATED));
        assertThat(struct.getString("event_id"))
                .isEqualTo(SampleRecords.chartEvent().getEventId().toString());
        assertThat(struct.getString("event_type")).isEqualTo("OUTBOUND_CLICK");
        assertThat(struct.getStruct("product").getInt32("rank")).isEqualTo(3);
        assertThat(struct.getStruct("product_catalog").get("updated_at")).isInstanceOf(java.util.Date.class);
        assertThat(struct.getStruct("chart").getMap("filters")).containsEntry("brand", "acme");
        assertThat(struct.get("user_agent")).isNotNull();

        // Connect data written back is readable as the same record.
        byte[] again = converter.fromConnectData("enriched-copy", connect.schema(), connect.value());
        GenericRecord avro = (GenericRecord) deserializer().deserialize("enriched-copy", again);
        assertThat(avro.get("created_at")).isEqualTo(SampleRecords.CREATED);
        assertThat(avro.get("event_type").toString()).isEqualTo("OUTBOUND_CLICK");
    }

    @Test
    void timestampMicrosBecomeMillisecondTimestamps() {
        Schema micros = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"Micro\",\"namespace\":\"io.chartpulse.test\","
                                + "\"fields\":[{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}}]}");
        GenericRecord record = new GenericData.Record(micros);
        record.put("at", 1_700_000_000_123_456L);
        KafkaAvroSerializer plain = new KafkaAvroSerializer();
        plain.configure(serdeConfig(registry, "avro.use.logical.type.converters", false), false);

        SchemaAndValue connect = converter.toConnectData("micros", plain.serialize("micros", record));

        assertThat(((Struct) connect.value()).get("at")).isEqualTo(new java.util.Date(1_700_000_000_123L));
    }

    @Test
    void tombstonesStayNull() {
        assertThat(converter.toConnectData("tomb", null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.fromConnectData("tomb", null, null)).isNull();
        assertThat(converter.fromConnectData("tomb", ADDRESS, null)).isNull();
    }

    @Test
    void primitivesConvertToo() {
        byte[] bytes = converter.fromConnectData("prim", org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "key-1");
        SchemaAndValue back = converter.toConnectData("prim", bytes);
        assertThat(back.value()).isEqualTo("key-1");
        assertThat(back.schema().type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.STRING);
    }

    @Test
    void unsupportedShapesAndBadBytesAreDataExceptionsNamingTheProblem() {
        Schema union = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"U\",\"namespace\":\"io.chartpulse.test\","
                        + "\"fields\":[{\"name\":\"either\",\"type\":[\"int\",\"string\"]}]}");
        GenericRecord record = new GenericData.Record(union);
        record.put("either", 1);
        byte[] bytes = serializer().serialize("union", record);
        assertThatThrownBy(() -> converter.toConnectData("union", bytes))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("union")
                .hasMessageContaining("either");

        assertThatThrownBy(() -> converter.toConnectData("bad", "not avro".getBytes()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("bad")
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> converter.fromConnectData("bad", null, "schemaless"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("needs a Connect schema");
        assertThatThrownBy(() -> converter.fromConnectData("bad", EVERYTHING, new Struct(EVERYTHING)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("bad");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButSerializationErrors() {
        KafkaAvroDeserializer deserializer = deserializer();
        byte[] validRecord = serializer().serialize("fuzz", SampleRecords.chartEvent());
        for (byte[] bytes : Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(64)
                .sampleStream()
                .limit(300)
                .toList()) {
            assertDecodesOrFailsCleanly(deserializer, bytes);
        }
        // Valid header, mangled body: the decoder must fail cleanly, not loop or blow up.
        for (int cut = 5; cut < validRecord.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(validRecord, cut);
            assertDecodesOrFailsCleanly(deserializer, truncated);
            byte[] flipped = validRecord.clone();
            flipped[cut] = (byte) ~flipped[cut];
            assertDecodesOrFailsCleanly(deserializer, flipped);
        }
    }

    private static void assertDecodesOrFailsCleanly(KafkaAvroDeserializer deserializer, byte[] bytes) {
        try {
            deserializer.deserialize("fuzz", bytes);
        } catch (SerializationException expected) {
            assertThat(expected.getMessage()).contains("fuzz");
        }
    }

    private KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(serdeConfig(registry), false);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer() {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(serdeConfig(registry), false);
        return deserializer;
    }
}

package io.chartpulse.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled writer against Avro's own: random values of every ChartPulse schema (and of a schema with every Avro
 * type) must encode to the same bytes, as generic records without conversions, as generated classes, and as generic
 * records with logical-type conversions.
 */
class CompiledDatumWriterTest {

    private static final Schema EVERY_TYPE = SchemaBuilder.record("EveryType")
            .namespace("test")
            .fields()
            .requiredBoolean("b")
            .requiredInt("i")
            .requiredLong("l")
            .requiredFloat("f")
            .requiredDouble("d")
            .requiredString("s")
            .requiredBytes("raw")
            .name("fixed")
            .type()
            .fixed("Four")
            .size(4)
            .noDefault()
            .name("colour")
            .type()
            .enumeration("Colour")
            .symbols("RED", "GREEN", "BLUE")
            .noDefault()
            .name("list")
            .type()
            .array()
            .items()
            .nullable()
            .stringType()
            .noDefault()
            .name("dict")
            .type()
            .map()
            .values()
            .longType()
            .noDefault()
            .name("choice")
            .type()
            .unionOf()
            .nullType()
            .and()
            .intType()
            .and()
            .stringType()
            .endUnion()
            .noDefault()
            .name("nested")
            .type()
            .optional()
            .record("Nested")
            .fields()
            .requiredString("name")
            .name("at")
            .type(timestampMillis())
            .noDefault()
            .endRecord()
            .name("optionalAt")
            .type()
            .unionOf()
            .nullType()
            .and()
            .type(timestampMillis())
            .endUnion()
            .nullDefault()
            .name("day")
            .type(dateSchema())
            .noDefault()
            .endRecord();

    @ParameterizedTest
    @ValueSource(
            classes = {
                ChartEvent.class,
                EnrichedEvent.class,
                Session.class,
                ChartMetric.class,
                RejectedEvent.class,
                CatalogEntry.class
            })
    void writesTheSameBytesAsAvroForEveryChartPulseSchema(Class<? extends SpecificRecord> type) throws Exception {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData specific = SpecificData.getForClass(type);
        Random random = new Random(type.getName().hashCode());
        for (int i = 0; i < 300; i++) {
            assertAllModelsAgree(schema, specific, random);
        }
    }

    @Test
    void writesTheSameBytesAsAvroForEveryAvroType() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            assertAllModelsAgree(EVERY_TYPE, null, random);
        }
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        GenericRecord record = (GenericRecord) RandomValues.of(EVERY_TYPE, new Random(1));
        record.put("s", null);
        DatumWriter<Object> writer = CompiledDatumWriter.of(EVERY_TYPE, GenericData.get());
        assertThatThrownBy(() -> encode(writer, record))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("null value for (non-nullable) string in field s of test.EveryType");
    }

    @Test
    void aValueOfNoBranchIsRejectedByTheUnion() {
        GenericRecord record = (GenericRecord) RandomValues.of(EVERY_TYPE, new Random(2));
        record.put("choice", 3.5);
        DatumWriter<Object> writer = CompiledDatumWriter.of(EVERY_TYPE, GenericData.get());
        assertThatThrownBy(() -> encode(writer, record))
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("3.5");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheField() {
        GenericRecord record = (GenericRecord) RandomValues.of(EVERY_TYPE, new Random(3));
        record.put("l", "not a number");
        DatumWriter<Object> writer = CompiledDatumWriter.of(EVERY_TYPE, GenericData.get());
        assertThatThrownBy(() -> encode(writer, record))
                .isInstanceOf(ClassCastException.class)
                .hasMessageEndingWith(" in field l");
    }

    @Test
    void writesOnlyTheSchemaItWasCompiledFor() {
        CompiledDatumWriter writer = CompiledDatumWriter.of(EVERY_TYPE, GenericData.get());
        writer.setSchema(EVERY_TYPE);
        assertThatThrownBy(() -> writer.setSchema(ChartEvent.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test.EveryType only");
    }

    // One random value, written by Avro's generic writer without conversions; the compiled writer must write the
    // same bytes for it, and for the same value read back with conversions and (if any) as generated classes — each
    // compared with Avro's writer on the very same object (a map read back may iterate in another order).
    private static void assertAllModelsAgree(Schema schema, SpecificData specific, Random random) throws IOException {
        Object raw = RandomValues.of(schema, random);
        byte[] bytes = encode(GenericData.get().createDatumWriter(schema), raw);
        assertThat(encode(CompiledDatumWriter.of(schema, GenericData.get()), raw))
                .isEqualTo(bytes);

        GenericData converting = AvroModels.generic(true);
        Object converted = new GenericDatumReader<>(schema, schema, converting)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(encode(CompiledDatumWriter.of(schema, converting), converted))
                .isEqualTo(encode(converting.createDatumWriter(schema), converted));

        if (specific != null) {
            Object generated = new SpecificDatumReader<>(schema, schema, specific)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            assertThat(generated).isInstanceOf(SpecificRecord.class);
            assertThat(encode(CompiledDatumWriter.of(schema, specific), generated))
                    .isEqualTo(encode(specific.createDatumWriter(schema), generated));
        }
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(DatumWriter<?> writer, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        ((DatumWriter<Object>) writer).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static Schema dateSchema() {
        return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    }

    /** Random raw values (no logical-type classes) of a schema; optional fields are null about a third of the time. */
    static final class RandomValues {

        private RandomValues() {}

        static Object of(Schema schema, Random random) {
            return switch (schema.getType()) {
                case NULL -> null;
                case BOOLEAN -> random.nextBoolean();
                case INT -> schema.getLogicalType() != null ? random.nextInt(40_000) : random.nextInt();
                case LONG ->
                    schema.getLogicalType() != null
                            ? 1_700_000_000_000L + random.nextInt(1 << 30)
                            : random.nextLong() >> random.nextInt(64);
                case FLOAT -> random.nextFloat();
                case DOUBLE -> random.nextDouble() * 1e6;
                case STRING ->
                    "uuid".equals(schema.getProp("logicalType"))
                            ? new UUID(random.nextLong(), random.nextLong()).toString()
                            : string(random);
                case BYTES -> ByteBuffer.wrap(bytes(random, random.nextInt(20)));
                case FIXED -> new GenericData.Fixed(schema, bytes(random, schema.getFixedSize()));
                case ENUM ->
                    new GenericData.EnumSymbol(
                            schema,
                            schema.getEnumSymbols()
                                    .get(random.nextInt(schema.getEnumSymbols().size())));
                case ARRAY -> {
                    List<Object> items = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        items.add(of(schema.getElementType(), random));
                    }
                    yield new GenericData.Array<>(schema, items);
                }
                case MAP -> {
                    Map<String, Object> map = new HashMap<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        map.put(string(random), of(schema.getValueType(), random));
                    }
                    yield map;
                }
                case UNION -> {
                    List<Schema> types = schema.getTypes();
                    Schema pick = types.get(random.nextInt(types.size()));
                    if (pick.getType() == Schema.Type.NULL && random.nextInt(3) > 0) {
                        pick = types.get(random.nextInt(types.size()));
                    }
                    yield of(pick, random);
                }
                case RECORD -> {
                    GenericData.Record record = new GenericData.Record(schema);
                    for (Schema.Field field : schema.getFields()) {
                        record.put(field.pos(), of(field.schema(), random));
                    }
                    yield record;
                }
            };
        }

        private static String string(Random random) {
            String[] samples = {"", "a", "chart-42", "https://example.com/p?utm_source=x", "ünïcødé ✓", "Mozilla/5.0"};
            return samples[random.nextInt(samples.length)]
                    + (random.nextBoolean() ? "" : Integer.toString(random.nextInt()));
        }

        private static byte[] bytes(Random random, int size) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return bytes;
        }
    }
}

package io.chartpulse.serde.avro;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Which Avro data model reads and writes a value, and the schema of a value to be written. */
final class AvroModels {

    private static final Map<Class<?>, Schema> PRIMITIVES = Map.of(
            String.class, Schema.create(Schema.Type.STRING),
            Integer.class, Schema.create(Schema.Type.INT),
            Long.class, Schema.create(Schema.Type.LONG),
            Float.class, Schema.create(Schema.Type.FLOAT),
            Double.class, Schema.create(Schema.Type.DOUBLE),
            Boolean.class, Schema.create(Schema.Type.BOOLEAN),
            byte[].class, Schema.create(Schema.Type.BYTES));

    private static final GenericData PLAIN = new GenericData();
    private static final GenericData WITH_LOGICAL_TYPES = withLogicalTypes();

    private AvroModels() {}

    /** Generic model: with logical-type conversions (Instant, LocalDate, BigDecimal, UUID) or plain. */
    static GenericData generic(boolean logicalTypes) {
        return logicalTypes ? WITH_LOGICAL_TYPES : PLAIN;
    }

    /** The model that writes {@code datum}: a generated class's own model, else the generic one. */
    static GenericData forDatum(Object datum, boolean logicalTypes) {
        if (datum instanceof SpecificRecord record) {
            return SpecificData.getForClass(record.getClass());
        }
        return generic(logicalTypes);
    }

    /** The schema a value is written with; primitives map to Avro's primitive types. */
    static Schema schemaOf(Object datum) {
        if (datum instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (datum instanceof CharSequence) {
            return PRIMITIVES.get(String.class);
        }
        if (datum instanceof ByteBuffer) {
            return PRIMITIVES.get(byte[].class);
        }
        Schema schema = datum == null ? null : PRIMITIVES.get(datum.getClass());
        if (schema == null) {
            throw new IllegalArgumentException(
                    "Cannot write a "
                            + (datum == null ? "null" : datum.getClass().getName())
                            + " as Avro: use a SpecificRecord, GenericRecord, or String, Integer, Long, Float, Double, Boolean, byte[]");
        }
        return schema;
    }

    private static GenericData withLogicalTypes() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        return data;
    }
}

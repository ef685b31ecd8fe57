package io.chartpulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordRoundTripTest {

    static List<SpecificRecord> samples() {
        return SampleRecords.allTopLevel();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void fullyPopulatedRecordSurvivesBinaryRoundTrip(SpecificRecord sample) throws IOException {
        assertThat(nullFields(sample, sample.getSchema().getName()))
                .as("sample must populate every field")
                .isEmpty();

        byte[] bytes = encode(sample);
        SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(sample.getSchema());
        SpecificRecord back = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(back).isEqualTo(sample);
        assertThat(back.getClass()).isEqualTo(sample.getClass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTopLevelRecordHasASample(SpecificRecord sample) {
        assertThat(ChartPulseSchema.values())
                .extracting(ChartPulseSchema::schema)
                .contains(sample.getSchema());
    }

    static byte[] encode(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static List<String> nullFields(IndexedRecord record, String path) {
        List<String> nulls = new ArrayList<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            String fieldPath = path + "." + field.name();
            if (value == null) {
                nulls.add(fieldPath);
            } else if (value instanceof IndexedRecord nested) {
                nulls.addAll(nullFields(nested, fieldPath));
            }
        }
        return nulls;
    }
}

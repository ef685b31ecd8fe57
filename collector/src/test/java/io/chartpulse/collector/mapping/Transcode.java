package io.chartpulse.collector.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.ChartEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/** Runs the transcoder on a JSON tree and reads the Avro it wrote back as a ChartEvent, for tests. */
public final class Transcode {

    private static final JsonAvroTranscoder TRANSCODER = new JsonAvroTranscoder(ChartEvent.getClassSchema());

    private Transcode() {}

    public static ChartEvent toEvent(JsonNode json, ServerFields server) throws EventRejection {
        try (JsonParser parser = json.traverse()) {
            parser.nextToken();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            TRANSCODER.transcode(parser, server, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(ChartEvent.class)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

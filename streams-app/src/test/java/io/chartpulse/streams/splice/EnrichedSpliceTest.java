package io.chartpulse.streams.splice;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Page;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Spliced enriched events are byte for byte what Avro's own writer gives, and splicing stays off where it must. */
class EnrichedSpliceTest {

    private static final int RAW_ID = 42;
    private static final int ENRICHED_ID = 43;

    @Property(tries = 200)
    void aSplicedEventIsWhatAvrosWriterWrites(@ForAll long seed) {
        Random random = new Random(seed);
        EnrichedSplice splice = new EnrichedSplice((topic, raw) -> ChartEvent.SCHEMA$, true, () -> {});
        // The first event on a topic is encoded as usual and checked against a splice.
        Raw first = raw(SampleRecords.chartEvent());
        splice.decoded("raw", first.bytes, first.decoded);
        EnrichedEvent firstOut = enrich(first.decoded, random);
        assertThat(splice.encode("enriched", firstOut)).as("not checked yet").isNull();
        splice.encodedNormally("enriched", firstOut, framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, firstOut));

        Raw next = raw(randomEvent(random));
        splice.decoded("raw", next.bytes, next.decoded);
        EnrichedEvent out = enrich(next.decoded, random);
        byte[] spliced = splice.encode("enriched", out);
        assertThat(spliced).as("spliced once checked").isNotNull();
        assertThat(spliced).isEqualTo(framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, out));
    }

    @Test
    void aRawRecordOfAnotherSchemaIsNotSpliced() {
        Schema older = Schema.createRecord("ChartEvent", null, "io.chartpulse.avro", false, java.util.List.of());
        EnrichedSplice splice = new EnrichedSplice((topic, raw) -> older, true, () -> {});
        Raw raw = raw(SampleRecords.chartEvent());
        splice.decoded("raw", raw.bytes, raw.decoded);
        EnrichedEvent out = enrich(raw.decoded, new Random(1));
        splice.encodedNormally("enriched", out, framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, out));
        assertThat(splice.encode("enriched", out)).isNull();
    }

    @Test
    void anEventWhoseCopiedFieldWasReplacedIsNotSpliced() {
        EnrichedSplice splice = checked();
        Raw raw = raw(SampleRecords.chartEvent());
        splice.decoded("raw", raw.bytes, raw.decoded);
        EnrichedEvent out = enrich(raw.decoded, new Random(2));
        out.setPage(Page.newBuilder(out.getPage()).setTitle("changed").build());
        assertThat(splice.encode("enriched", out)).isNull();
        out.setPage(raw.decoded.getPage());
        assertThat(splice.encode("enriched", out)).isNotNull();
    }

    @Test
    void nothingIsHandedOverAfterARejectionOrWhenTurnedOff() {
        EnrichedSplice splice = checked();
        Raw raw = raw(SampleRecords.chartEvent());
        splice.decoded("raw", raw.bytes, raw.decoded);
        EnrichedEvent out = enrich(raw.decoded, new Random(3));
        splice.clear();
        assertThat(splice.encode("enriched", out)).isNull();

        EnrichedSplice off = new EnrichedSplice((topic, bytes) -> ChartEvent.SCHEMA$, false, () -> {});
        off.decoded("raw", raw.bytes, raw.decoded);
        off.encodedNormally("enriched", out, framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, out));
        assertThat(off.encode("enriched", out)).isNull();
    }

    @Test
    void aSpliceThatDiffersFromTheEncoderTurnsSplicingOff() {
        EnrichedSplice splice = new EnrichedSplice((topic, raw) -> ChartEvent.SCHEMA$, true, () -> {});
        Raw raw = raw(SampleRecords.chartEvent());
        splice.decoded("raw", raw.bytes, raw.decoded);
        EnrichedEvent out = enrich(raw.decoded, new Random(4));
        byte[] normal = framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, out);
        normal[normal.length - 1] ^= 1; // what an encoder of another layout would write
        splice.encodedNormally("enriched", out, normal);
        assertThat(splice.encode("enriched", out)).isNull();
    }

    private static EnrichedSplice checked() {
        EnrichedSplice splice = new EnrichedSplice((topic, raw) -> ChartEvent.SCHEMA$, true, () -> {});
        Raw raw = raw(SampleRecords.chartEvent());
        splice.decoded("raw", raw.bytes, raw.decoded);
        EnrichedEvent out = enrich(raw.decoded, new Random(0));
        splice.encodedNormally("enriched", out, framed(ENRICHED_ID, EnrichedEvent.SCHEMA$, out));
        return splice;
    }

    private record Raw(byte[] bytes, ChartEvent decoded) {}

    // The event framed as the collector writes it, and decoded back as the streams app reads it.
    private static Raw raw(ChartEvent event) {
        byte[] bytes = framed(RAW_ID, ChartEvent.SCHEMA$, event);
        SpecificDatumReader<ChartEvent> reader = new SpecificDatumReader<>(
                ChartEvent.SCHEMA$, ChartEvent.SCHEMA$, SpecificData.getForClass(ChartEvent.class));
        try {
            ChartEvent decoded = reader.read(
                    null,
                    DecoderFactory.get()
                            .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null));
            return new Raw(bytes, decoded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Avro's own writer, framed: the reference the splice must match.
    private static byte[] framed(int id, Schema schema, Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(schema, SpecificData.getForClass(EnrichedEvent.class)).write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // The enriched event as the topology makes it: the raw event's objects, then enriched fields, some left null.
    private static EnrichedEvent enrich(ChartEvent e, Random random) {
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        EnrichedEvent out = new EnrichedEvent();
        out.setEventId(e.getEventId());
        out.setEventType(e.getEventType());
        out.setEventName(e.getEventName());
        out.setProperties(e.getProperties());
        out.setCreatedAt(e.getCreatedAt());
        out.setSentAt(e.getSentAt());
        out.setReceivedAt(e.getReceivedAt());
        out.setDerivedAt(e.getReceivedAt().minusMillis(random.nextInt(5_000)));
        out.setClockSkewMs((long) random.nextInt(10_000) - 5_000);
        out.setAnonymousId(e.getAnonymousId());
        out.setUserId(e.getUserId());
        out.setSessionId(e.getSessionId());
        out.setSessionIndex(e.getSessionIndex());
        out.setServerSessionId(random.nextBoolean() ? null : "ss-" + random.nextInt(100));
        out.setPageViewId(e.getPageViewId());
        out.setPage(e.getPage());
        out.setChart(e.getChart());
        out.setProduct(e.getProduct());
        out.setInteraction(e.getInteraction());
        out.setContext(e.getContext());
        out.setConsent(e.getConsent());
        out.setSdk(e.getSdk());
        out.setSampleRate(e.getSampleRate());
        out.setVariant(e.getVariant());
        out.setUserAgent(random.nextBoolean() ? null : sample.getUserAgent());
        out.setIsBot(random.nextBoolean());
        out.setBotReason(random.nextBoolean() ? null : "headless");
        out.setCountry(random.nextBoolean() ? null : "DE");
        out.setReferrer(random.nextBoolean() ? null : sample.getReferrer());
        out.setCampaign(random.nextBoolean() ? null : sample.getCampaign());
        out.setProductCatalog(random.nextBoolean() ? null : sample.getProductCatalog());
        out.setChartCatalog(random.nextBoolean() ? null : sample.getChartCatalog());
        out.setDedupFingerprint(e.getEventId().toString());
        out.setProcessedAt(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000)));
        return out;
    }

    // The sample event with each optional part there or not, and text of any width.
    private static ChartEvent randomEvent(Random random) {
        ChartEvent e = SampleRecords.chartEvent();
        String text = "ü€😀x".repeat(random.nextInt(40));
        e.setEventName(random.nextBoolean() ? null : "name-" + text);
        e.setProperties(random.nextBoolean() ? null : random.nextBoolean() ? Map.of() : Map.of("k" + text, "v"));
        e.setUserId(random.nextBoolean() ? null : "user-" + text);
        e.setSessionIndex(random.nextInt(100_000));
        e.setChart(random.nextBoolean() ? null : e.getChart());
        e.setProduct(random.nextBoolean() ? null : e.getProduct());
        e.setInteraction(random.nextBoolean() ? null : e.getInteraction());
        e.setContext(random.nextBoolean() ? null : e.getContext());
        e.setConsent(random.nextBoolean() ? null : e.getConsent());
        e.setSdk(random.nextBoolean() ? null : e.getSdk());
        e.setSampleRate(random.nextBoolean() ? null : random.nextDouble());
        e.setVariant(random.nextBoolean() ? null : "variant-" + text);
        e.setAnonymousId("anon-" + text);
        return e;
    }
}

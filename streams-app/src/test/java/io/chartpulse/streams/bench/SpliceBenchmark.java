package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.avro.CompiledDatumWriter;
import io.chartpulse.streams.splice.EnrichedSplice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * What splicing the enriched encoding saves, on one thread, without a broker's noise: the benchmark's traffic
 * ({@link Traffic}) encoded as the collector does, decoded, turned into enriched events as the topology does, then
 * written {@code rounds} times each way — the app's normal encoder ({@link CompiledDatumWriter}, framed) and the
 * splice (the decoding step's skip-scan plus the splice) — reporting nanoseconds per event, medians of the rounds.
 * Not a test. {@code SpliceBenchmark [events] [rounds]} (defaults 200 000, 7).
 */
public final class SpliceBenchmark {

    private SpliceBenchmark() {}

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Traffic traffic = new Traffic(42);
        CompiledDatumWriter raw =
                CompiledDatumWriter.of(ChartEvent.SCHEMA$, SpecificData.getForClass(ChartEvent.class));
        CompiledDatumWriter enriched =
                CompiledDatumWriter.of(EnrichedEvent.SCHEMA$, SpecificData.getForClass(EnrichedEvent.class));
        SpecificDatumReader<ChartEvent> reader = new SpecificDatumReader<>(
                ChartEvent.SCHEMA$, ChartEvent.SCHEMA$, SpecificData.getForClass(ChartEvent.class));
        List<byte[]> raws = new ArrayList<>(events);
        List<ChartEvent> decoded = new ArrayList<>(events);
        List<EnrichedEvent> outs = new ArrayList<>(events);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < events; i++) {
            byte[] bytes = framed(1, raw, traffic.next(t.plusMillis(3L * i)));
            ChartEvent e = decode(reader, bytes);
            raws.add(bytes);
            decoded.add(e);
            outs.add(enrich(e));
        }
        EnrichedSplice splice = new EnrichedSplice((topic, bytes) -> ChartEvent.SCHEMA$, true, () -> {});
        splice.decoded("raw", raws.get(0), decoded.get(0));
        splice.encodedNormally("enriched", outs.get(0), framed(2, enriched, outs.get(0)));
        long[] normal = new long[rounds];
        long[] spliced = new long[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                sink += framed(2, enriched, outs.get(i)).length;
            }
            normal[r] = (System.nanoTime() - start) / events;
            start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                splice.decoded("raw", raws.get(i), decoded.get(i));
                byte[] bytes = splice.encode("enriched", outs.get(i));
                if (bytes == null) {
                    throw new IllegalStateException("event " + i + " was not spliced");
                }
                sink += bytes.length;
            }
            spliced[r] = (System.nanoTime() - start) / events;
        }
        Arrays.sort(normal);
        Arrays.sort(spliced);
        System.out.printf(
                "splice benchmark (%d events, %d rounds, Java %s): normal encoder %d ns/event, skip-scan + splice %d"
                        + " ns/event (medians; rounds %s / %s) [%d]%n",
                events,
                rounds,
                System.getProperty("java.version"),
                normal[rounds / 2],
                spliced[rounds / 2],
                Arrays.toString(normal),
                Arrays.toString(spliced),
                sink % 10);
    }

    // As the app's framed writer does it: one buffer and encoder kept between records, the header, the body.
    private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream(2048);
    private static BinaryEncoder encoder;

    private static byte[] framed(int id, CompiledDatumWriter writer, Object value) {
        encoder = EncoderFactory.get().binaryEncoder(OUT, encoder);
        OUT.reset();
        OUT.writeBytes(WireFormat.header(id));
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OUT.toByteArray();
    }

    private static ChartEvent decode(SpecificDatumReader<ChartEvent> reader, byte[] bytes) {
        try {
            return reader.read(
                    null,
                    DecoderFactory.get()
                            .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The enriched event as the topology builds it, with the sample's enrichment results.
    private static EnrichedEvent enrich(ChartEvent e) {
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        EnrichedEvent out = new EnrichedEvent();
        out.setEventId(e.getEventId());
        out.setEventType(e.getEventType());
        out.setEventName(e.getEventName());
        out.setProperties(e.getProperties());
        out.setCreatedAt(e.getCreatedAt());
        out.setSentAt(e.getSentAt());
        out.setReceivedAt(e.getReceivedAt());
        out.setDerivedAt(e.getReceivedAt());
        out.setClockSkewMs(0L);
        out.setAnonymousId(e.getAnonymousId());
        out.setUserId(e.getUserId());
        out.setSessionId(e.getSessionId());
        out.setSessionIndex(e.getSessionIndex());
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
        out.setUserAgent(sample.getUserAgent());
        out.setIsBot(false);
        out.setCountry("DE");
        out.setReferrer(sample.getReferrer());
        out.setCampaign(sample.getCampaign());
        out.setProductCatalog(e.getProduct() == null ? null : sample.getProductCatalog());
        out.setChartCatalog(e.getChart() == null ? null : sample.getChartCatalog());
        out.setDedupFingerprint(e.getEventId().toString());
        out.setProcessedAt(e.getReceivedAt());
        return out;
    }
}

package io.chartpulse.streams.splice;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.avro.CompiledDatumWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes an {@link EnrichedEvent} by splicing: the fields it copies from the raw {@link ChartEvent} are the raw
 * record's own bytes, and only the fields enrichment adds are encoded. {@code EnrichedEvent} keeps {@code ChartEvent}'s
 * fields, with the same schemas and in the same order, and puts its own between them: {@code derived_at} and
 * {@code clock_skew_ms} after {@code received_at}, {@code server_session_id} after {@code session_index},
 * {@code user_agent} … {@code processed_at} after {@code sample_rate}, {@code variant} last. So the body is four
 * ranges of the raw body and three runs of new fields.
 *
 * <p>Used only when all of this holds, else the caller encodes as usual: the raw record was written with exactly the
 * app's {@code ChartEvent} schema (a record of an older or newer schema has another layout); the enriched event's
 * copied fields are the very objects decoded from it (compared by identity — enrichers set only enriched fields and
 * never change a decoded record in place); and the first splice on a topic gave the same bytes as the normal encoder
 * (checked once on an event whose {@code properties} map has at most one entry — a map's entries may come out in
 * another order than they went in, equal but not byte-equal; a mismatch turns splicing off with a warning). The raw
 * record is handed over through a thread-local by the decoding step of the same record: Kafka Streams runs a record
 * through a sub-topology on one thread, from source to sink, before the next.
 */
public final class EnrichedSplice {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichedSplice.class);

    // The last ChartEvent field of each raw range: received_at, session_index, sample_rate, variant.
    private static final int[] RANGE_ENDS = {
        ChartEvent.SCHEMA$.getField("received_at").pos(),
        ChartEvent.SCHEMA$.getField("session_index").pos(),
        ChartEvent.SCHEMA$.getField("sample_rate").pos(),
        ChartEvent.SCHEMA$.getField("variant").pos()
    };

    /** The raw record of the event being processed on this thread, and where its ranges end. */
    private record Source(ChartEvent event, byte[] raw, int[] ends) {}

    private final BiFunction<String, byte[], Schema> writerSchema;
    private final BodySkipper skipper = new BodySkipper(ChartEvent.SCHEMA$);
    private final Map<Integer, Boolean> spliceableIds = new ConcurrentHashMap<>();
    private final ThreadLocal<Source> current = new ThreadLocal<>();
    // The new fields, in three runs, each with its compiled writer.
    private final CompiledDatumWriter[][] runs;
    private final int[][] runFields;
    // Per output topic: the header the normal encoder wrote, and whether a splice was checked against it.
    private final Map<String, byte[]> headers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> checked = new ConcurrentHashMap<>();
    private final boolean enabled;
    private final Runnable onSpliced;
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    /**
     * @param writerSchema the schema a raw record was written with (the registry's, cached by id)
     * @param enabled false to never splice (the serde writes with the subject's latest schema, whose layout the
     *     splice cannot know)
     * @param onSpliced told of each event written by splicing
     */
    public EnrichedSplice(BiFunction<String, byte[], Schema> writerSchema, boolean enabled, Runnable onSpliced) {
        this.writerSchema = writerSchema;
        this.enabled = enabled;
        this.onSpliced = onSpliced;
        SpecificData model = SpecificData.getForClass(EnrichedEvent.class);
        int[][] fields = new int[3][];
        CompiledDatumWriter[][] writers = new CompiledDatumWriter[3][];
        String[][] names = {
            {"derived_at", "clock_skew_ms"},
            {"server_session_id"},
            {
                "user_agent",
                "is_bot",
                "bot_reason",
                "country",
                "referrer",
                "campaign",
                "product_catalog",
                "chart_catalog",
                "dedup_fingerprint",
                "processed_at"
            }
        };
        for (int run = 0; run < 3; run++) {
            fields[run] = new int[names[run].length];
            writers[run] = new CompiledDatumWriter[names[run].length];
            for (int i = 0; i < names[run].length; i++) {
                Schema.Field field = EnrichedEvent.SCHEMA$.getField(names[run][i]);
                fields[run][i] = field.pos();
                writers[run][i] = CompiledDatumWriter.of(field.schema(), model);
            }
        }
        this.runFields = fields;
        this.runs = writers;
    }

    /** The decoding step's hand-over: {@code event} was decoded from {@code raw} (framed) on this thread. */
    public void decoded(String topic, byte[] raw, ChartEvent event) {
        current.remove();
        if (!enabled || raw == null) {
            return;
        }
        int id = ((raw[1] & 0xFF) << 24) | ((raw[2] & 0xFF) << 16) | ((raw[3] & 0xFF) << 8) | (raw[4] & 0xFF);
        Boolean spliceable = spliceableIds.get(id);
        if (spliceable == null) {
            try {
                spliceable = ChartEvent.SCHEMA$.equals(writerSchema.apply(topic, raw));
            } catch (RuntimeException e) {
                return; // the registry did not answer: this record is encoded as usual, the next one asks again
            }
            spliceableIds.put(id, spliceable);
        }
        if (!spliceable) {
            return;
        }
        int[] fieldEnds;
        try {
            fieldEnds = skipper.fieldEnds(raw, WireFormat.HEADER_SIZE);
        } catch (ArrayIndexOutOfBoundsException e) {
            return; // not the layout decoding found: encode as usual
        }
        int[] ends = new int[RANGE_ENDS.length];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = fieldEnds[RANGE_ENDS[i]];
        }
        if (ends[ends.length - 1] != raw.length) {
            return;
        }
        current.set(new Source(event, raw, ends));
    }

    /** Nothing to hand over for the record being processed on this thread (it was rejected). */
    public void clear() {
        current.remove();
    }

    /**
     * {@code out}'s bytes for {@code topic} spliced from its raw record, or null when it cannot be (encode it as
     * usual, then give the bytes to {@link #encodedNormally}).
     */
    public byte[] encode(String topic, EnrichedEvent out) {
        Source source = current.get();
        byte[] header = headers.get(topic);
        if (source == null || header == null || !copiedFrom(out, source.event())) {
            return null;
        }
        Boolean ok = checked.get(topic);
        if (ok == null || !ok) {
            return null; // not checked yet (encodedNormally checks), or turned off
        }
        byte[] bytes = splice(header, out, source);
        onSpliced.run();
        return bytes;
    }

    /**
     * Tells the splice what the normal encoder wrote for {@code out} on {@code topic}: its header, and, once per
     * topic, whether a splice gives the same bytes.
     */
    public void encodedNormally(String topic, EnrichedEvent out, byte[] bytes) {
        if (!enabled || bytes == null || bytes.length < WireFormat.HEADER_SIZE || checked.containsKey(topic)) {
            return;
        }
        byte[] header = Arrays.copyOf(bytes, WireFormat.HEADER_SIZE);
        headers.put(topic, header);
        Source source = current.get();
        if (source == null
                || !copiedFrom(out, source.event())
                || (out.getProperties() != null && out.getProperties().size() > 1)) {
            return;
        }
        byte[] spliced = splice(header, out, source);
        boolean same = Arrays.equals(spliced, bytes);
        if (!same) {
            LOG.warn(
                    "Encoding enriched events by splicing the raw record's bytes gave other bytes than the encoder"
                            + " for event {} on {}: splicing is off for this topic, events are encoded in full",
                    out.getEventId(),
                    topic);
        }
        checked.put(topic, same);
    }

    private byte[] splice(byte[] header, EnrichedEvent out, Source source) {
        Buffer buffer = buffers.get();
        buffer.reset();
        byte[] raw = source.raw();
        int[] ends = source.ends();
        try {
            buffer.write(header);
            int from = WireFormat.HEADER_SIZE;
            for (int range = 0; range < ends.length; range++) {
                buffer.write(raw, from, ends[range] - from);
                from = ends[range];
                if (range < runs.length) {
                    buffer.encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
                    for (int i = 0; i < runs[range].length; i++) {
                        runs[range][i].write(out.get(runFields[range][i]), buffer.encoder);
                    }
                    buffer.encoder.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    // Whether every field out copies from the raw event is the very value decoded from it.
    private static boolean copiedFrom(EnrichedEvent out, ChartEvent e) {
        return out.getEventId() == e.getEventId()
                && out.getEventType() == e.getEventType()
                && out.getEventName() == e.getEventName()
                && out.getProperties() == e.getProperties()
                && out.getCreatedAt() == e.getCreatedAt()
                && out.getSentAt() == e.getSentAt()
                && out.getReceivedAt() == e.getReceivedAt()
                && out.getAnonymousId() == e.getAnonymousId()
                && out.getUserId() == e.getUserId()
                && out.getSessionId() == e.getSessionId()
                && Objects.equals(out.getSessionIndex(), e.getSessionIndex())
                && out.getPageViewId() == e.getPageViewId()
                && out.getPage() == e.getPage()
                && out.getChart() == e.getChart()
                && out.getProduct() == e.getProduct()
                && out.getInteraction() == e.getInteraction()
                && out.getContext() == e.getContext()
                && out.getConsent() == e.getConsent()
                && out.getSdk() == e.getSdk()
                && Objects.equals(out.getSampleRate(), e.getSampleRate())
                && out.getVariant() == e.getVariant();
    }

    /** A per-thread output buffer kept between records, with its encoder; unsynchronised (one thread uses it). */
    private static final class Buffer extends ByteArrayOutputStream {
        BinaryEncoder encoder;

        Buffer() {
            super(2048);
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }
}

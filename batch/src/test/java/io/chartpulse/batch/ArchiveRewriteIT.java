package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedS3;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The erasure's rewrite of a raw archive object, on S3Proxy: readers polling the object while visitors are removed
 * from it one after another only ever see a whole object — the one before a rewrite or the one after — and the
 * records kept are the ones written, in their order, with the object's codec and metadata.
 */
class ArchiveRewriteIT {

    private static final String BUCKET = "chartpulse-lake";
    private static final String KEY =
            "raw/chart.events.raw.v1/year=2026/month=12/day=07/hour=10/" + "chart.events.raw.v1+1+0000004200.avro";
    private static final int VISITORS = 400;
    private static final int REWRITES = 12;

    @Test
    void aReaderOnlyEverSeesTheObjectBeforeOrAfterARewriteNeverPartOfOne() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, null);
                S3Client client = s3.client()) {
            s3.createBucket(BUCKET);
            List<String> written = new ArrayList<>();
            Map<String, Integer> perVisitor = new TreeMap<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataFileWriter<ChartEvent> out = new DataFileWriter<>(new SpecificDatumWriter<>(ChartEvent.class))) {
                out.setCodec(CodecFactory.deflateCodec(6));
                out.setMeta("chartpulse.sink", "s3-raw-events");
                out.create(ChartEvent.getClassSchema(), bytes);
                for (EnrichedEvent enriched : new Dataset(
                                Interval.containing(Interval.Grain.DAY, Instant.parse("2026-12-07T10:00:00Z")),
                                VISITORS,
                                7)
                        .events) {
                    ChartEvent e = Dataset.raw(enriched);
                    out.append(e);
                    written.add(e.getAnonymousId() + " " + e.getEventId());
                    perVisitor.merge(e.getAnonymousId(), 1, Integer::sum);
                }
            }
            client.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromBytes(bytes.toByteArray()));
            RawArchive archive = new RawArchive(
                    client,
                    BUCKET,
                    "raw/chart.events.raw.v1/",
                    DateTimeFormatter.ofPattern("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH")
                            .withZone(ZoneOffset.UTC),
                    "chart.events.raw.v1",
                    p -> "_offsets/raw/chart.events.raw.v1+" + p);

            // The whole versions of the object: all records, then each time one visitor fewer. Any other count, or an
            // object Avro cannot read to its end, is a torn read.
            Set<Integer> whole = new TreeSet<>();
            int total = written.size();
            whole.add(total);
            for (int v = 0; v < REWRITES; v++) {
                total -= perVisitor.get("visitor-" + v);
                whole.add(total);
            }
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> torn = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread reader = new Thread(() -> {
                    while (!done.get() && torn.get() == null) {
                        try {
                            byte[] file = client.getObjectAsBytes(
                                            r -> r.bucket(BUCKET).key(KEY))
                                    .asByteArray();
                            int n = 0;
                            try (DataFileReader<GenericRecord> in = new DataFileReader<>(
                                    new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
                                assertThat(in.getMetaString("chartpulse.sink")).isEqualTo("s3-raw-events");
                                assertThat(in.getMetaString("avro.codec")).isEqualTo("deflate");
                                for (GenericRecord ignored : in) {
                                    n++;
                                }
                            }
                            assertThat(whole).as("records in one read").contains(n);
                            seen.add(n);
                            reads.incrementAndGet();
                        } catch (Throwable e) {
                            torn.compareAndSet(null, e);
                        }
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int v = 0; v < REWRITES; v++) {
                String visitor = "visitor-" + v;
                long removed = archive.rewriteWithout(
                        KEY, r -> visitor.equals(r.get("anonymous_id").toString()));
                assertThat(removed).isEqualTo((long) perVisitor.get(visitor));
                assertThat(archive.rewriteWithout(
                                KEY, r -> visitor.equals(r.get("anonymous_id").toString())))
                        .as("again: nothing left to remove, nothing written")
                        .isZero();
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(torn.get()).as("a reader saw part of an object").isNull();
            assertThat(reads.get()).as("reads during the rewrites").isGreaterThan(REWRITES);
            assertThat(seen).as("whole versions seen").hasSizeGreaterThan(1);

            // What is left: the other visitors' records, as written and in their order.
            byte[] file =
                    client.getObjectAsBytes(r -> r.bucket(BUCKET).key(KEY)).asByteArray();
            List<String> left = new ArrayList<>();
            try (DataFileReader<GenericRecord> in =
                    new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
                for (GenericRecord r : in) {
                    left.add(r.get("anonymous_id") + " " + r.get("event_id"));
                }
            }
            List<String> expected = new ArrayList<>();
            for (String w : written) {
                int visitor = Integer.parseInt(w.substring("visitor-".length(), w.indexOf(' ')));
                if (visitor >= REWRITES) {
                    expected.add(w);
                }
            }
            assertThat(left).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void anObjectsKafkaPartitionAndFirstOffsetComeFromItsName() {
        assertThat(RawArchive.partitionAndOffset(KEY)).containsExactly(1, 4200);
        assertThat(RawArchive.partitionAndOffset("raw/t/x/my.topic+12+0000000000.avro.gz"))
                .containsExactly(12, 0);
    }
}

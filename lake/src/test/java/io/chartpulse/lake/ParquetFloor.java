package io.chartpulse.lake;

import io.chartpulse.avro.EnrichedEvent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;

/**
 * The floor under any lake writer the issue allows: the rate at which Iceberg's own Parquet writer — the one the
 * official sink uses — encodes the benchmark's rows into Parquet + zstd with the table's properties, and nothing
 * else: rows already converted and in memory, no Kafka, no Avro decoding, no partitioning, no catalog, no commit,
 * local files. Two threads, as the sink has two tasks on two cores.
 *
 * <p>A sink must do at least what the discard sink does (consume and decode) and this, on the same two cores, so its
 * rate is at most {@code 1 / (1/discard + 1/floor)} and its ratio to the discard sink at most {@code floor /
 * (discard + floor)}: when that is under the target, no configuration of the sink — and no other sink writing
 * Parquet with Iceberg's writer — can reach it on this machine.
 *
 * <p>{@code java … ParquetFloor [rows per round] [rounds]} (defaults 400 000 and 3); it prints each round and the
 * median.
 */
public final class ParquetFloor {

    private static final int THREADS = 2;

    private ParquetFloor() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Double> rates = measure(rows, rounds);
        rates.forEach(r -> System.out.printf(Locale.ROOT, "  round: %,.0f rows/s%n", r));
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(null);
        System.out.printf(
                Locale.ROOT,
                "Parquet floor (Iceberg's Parquet writer, zstd, %d threads, %,d rows a round, Java %s): median %,.0f"
                        + " rows/s%n",
                THREADS,
                rows,
                System.getProperty("java.version"),
                sorted.get(sorted.size() / 2));
        System.exit(0);
    }

    /** {@code rounds} rates in rows/s, each writing the same {@code rows} rows (half per thread). */
    public static List<Double> measure(int rows, int rounds) throws Exception {
        Schema schema = LakeTable.ENRICHED_EVENTS.schema();
        Random random = new Random(42);
        Instant start = Instant.now().minus(Duration.ofHours(2));
        List<Record> all = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            EnrichedEvent e = LakeBenchmark.event(random, i, start.plusMillis(i * 5L));
            all.add(AvroRows.toRow(e, schema.asStruct()));
        }
        Path dir = Files.createTempDirectory("parquet-floor");
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                int r = round;
                long began = System.nanoTime();
                List<Future<?>> writing = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    List<Record> share = all.subList(t * rows / THREADS, (t + 1) * rows / THREADS);
                    File file = dir.resolve("round-" + r + "-" + t + ".parquet").toFile();
                    writing.add(threads.submit(() -> {
                        write(schema, share, file);
                        return null;
                    }));
                }
                for (Future<?> f : writing) {
                    f.get();
                }
                rates.add(rows / ((System.nanoTime() - began) / 1e9));
            }
            return rates;
        } finally {
            threads.shutdownNow();
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static void write(Schema schema, List<Record> rows, File file) throws IOException {
        DataWriter<Record> writer = Parquet.writeData(org.apache.iceberg.Files.localOutput(file))
                .schema(schema)
                .setAll(LakeTable.properties())
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(PartitionSpec.unpartitioned())
                .overwrite()
                .build();
        try (writer) {
            for (Record row : rows) {
                writer.write(row);
            }
        }
    }
}

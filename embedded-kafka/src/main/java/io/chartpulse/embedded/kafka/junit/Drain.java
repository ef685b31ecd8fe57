package io.chartpulse.embedded.kafka.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How a test reads what it waits for from a topic: polls until {@code expected} records arrived or {@code timeout}
 * passed, then once more for {@code settle}, so it also gets what came beyond the expected (a duplicate, an aborted
 * record leaking through) and can fail on it. It returns what it read either way; the caller's assertion says what
 * was missing, with the records in hand, where a timeout exception could not.
 */
public final class Drain {

    private static final Duration POLL = Duration.ofMillis(200);

    private Drain() {}

    public static <K, V> List<ConsumerRecord<K, V>> records(
            Consumer<K, V> consumer, int expected, Duration timeout, Duration settle) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(records::add);
        }
        consumer.poll(settle).forEach(records::add);
        return records;
    }
}

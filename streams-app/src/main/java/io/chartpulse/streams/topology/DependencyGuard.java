package io.chartpulse.streams.topology;

import io.chartpulse.serde.registry.RegistryUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an outage of a dependency from being mistaken for bad data. A stream thread that needs the schema registry
 * (to decode a record written with a schema id it has not seen, or to encode an output the first time) and cannot
 * reach it waits in place, retrying with exponential backoff, instead of rejecting the record: the task stalls, and
 * continues exactly where it stopped once the registry answers. While a thread waits, {@link #stalls()} says which
 * dependency and why (the service's {@code /readyz} shows it and answers 503), a log line names the cause, and
 * {@link #stallCount()} counts stalls.
 *
 * <p>The wait is bounded by {@code maxStall}, which must stay below the producer's transaction timeout (an open
 * transaction must not be aborted under a waiting thread) and {@code max.poll.interval.ms}. Past it the call throws
 * {@link DependencyUnavailableException}; the stream thread fails, its transaction is aborted, and the service
 * replaces the thread after a pause without counting it as a crash (a restart would not bring the registry back).
 * The replacement starts again from the last committed offsets: nothing is lost and nothing is written twice.
 *
 * <p>Thread-safe: one guard for the whole application, stalls tracked per thread.
 */
public final class DependencyGuard {

    /** The dependency a call waits for. */
    public static final String SCHEMA_REGISTRY = "schema-registry";

    private static final Logger LOG = LoggerFactory.getLogger(DependencyGuard.class);

    /** A thread waiting for a dependency: since when and the last failure. */
    public record Stall(String dependency, Instant since, String cause) {}

    private final Duration maxStall;
    private final Duration firstWait;
    private final Duration maxWait;
    private final Map<String, Stall> stalls = new ConcurrentHashMap<>();
    private final AtomicLong stallCount = new AtomicLong();
    private volatile boolean closed;

    public DependencyGuard(Duration maxStall) {
        this(maxStall, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    DependencyGuard(Duration maxStall, Duration firstWait, Duration maxWait) {
        this.maxStall = maxStall;
        this.firstWait = firstWait;
        this.maxWait = maxWait;
    }

    /**
     * Runs {@code action}, retrying it while it fails with an outage of {@code dependency} (a
     * {@link RegistryUnavailableException} anywhere in the cause chain); any other failure passes through at once.
     *
     * @throws DependencyUnavailableException when the dependency stays unavailable for {@code maxStall}, or the
     *     guard is closed while waiting
     */
    public <T> T call(String dependency, Supplier<T> action) {
        long start = 0;
        long wait = firstWait.toMillis();
        String thread = Thread.currentThread().getName();
        while (true) {
            try {
                T result = action.get();
                if (start != 0) {
                    stalls.remove(thread);
                    LOG.info(
                            "{} is back: {} resumes after waiting {} ms",
                            dependency,
                            thread,
                            (System.nanoTime() - start) / 1_000_000);
                }
                return result;
            } catch (RuntimeException e) {
                RuntimeException outage = outage(e);
                if (outage == null) {
                    throw e;
                }
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                    stallCount.incrementAndGet();
                    LOG.warn(
                            "{} stalled: {} unavailable ({}); retrying with backoff for up to {} ms",
                            thread,
                            dependency,
                            outage.getMessage(),
                            maxStall.toMillis());
                }
                stalls.put(thread, new Stall(dependency, Instant.now().minusNanos(now - start), outage.getMessage()));
                long waited = (now - start) / 1_000_000;
                if (closed || waited >= maxStall.toMillis()) {
                    stalls.remove(thread);
                    throw new DependencyUnavailableException(
                            dependency + " unavailable for " + waited + " ms (the stall limit is " + maxStall.toMillis()
                                    + " ms" + (closed ? "; shutting down" : "") + "): " + outage.getMessage(),
                            outage);
                }
                sleep(Math.min(wait, maxStall.toMillis() - waited));
                wait = Math.min(wait * 2, maxWait.toMillis());
            }
        }
    }

    /** Threads waiting now, by thread name. */
    public Map<String, Stall> stalls() {
        return new TreeMap<>(stalls);
    }

    /** Stalls begun so far. */
    public long stallCount() {
        return stallCount.get();
    }

    /** Whether {@code failure} or a cause of it is an outage a guard waited out or gave up on. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException || t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Wakes every waiting thread: each gives up at once, so that shutting down is not held up by an outage. */
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
    }

    private static RuntimeException outage(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }

    private void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        synchronized (this) {
            try {
                if (!closed) {
                    wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DependencyUnavailableException("interrupted while waiting for a dependency", e);
            }
        }
    }
}

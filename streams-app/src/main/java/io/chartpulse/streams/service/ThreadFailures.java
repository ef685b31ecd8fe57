package io.chartpulse.streams.service;

import io.chartpulse.streams.topology.DependencyGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does when a stream thread dies. An outage of a dependency (the thread gave up waiting in the
 * {@link DependencyGuard}) pauses, then replaces the thread, without counting: restarting the process would not
 * bring the dependency back, and readiness already says what is missing. Any other failure replaces the thread
 * too, but at most {@code maxReplacements} times within {@code window}: one more and the client shuts down (state
 * ERROR), so {@code /healthz} fails and an orchestrator restarts the process instead of a thread crash-looping
 * behind a green health check. The last failure is kept for {@code /readyz}. Thread-safe.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    private final int maxReplacements;
    private final Duration window;
    private final Duration outagePause;
    private final Deque<Long> recent = new ArrayDeque<>();
    private long crashes;
    private long outages;
    private boolean exhausted;
    private Map<String, Object> last;

    ThreadFailures(int maxReplacements, Duration window, Duration outagePause) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.outagePause = outagePause;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        boolean outage = DependencyGuard.isOutage(failure);
        String thread = Thread.currentThread().getName();
        synchronized (this) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("at", Instant.now().toString());
            info.put("thread", thread);
            info.put("kind", outage ? "dependency_outage" : "crash");
            info.put("cause", describe(failure));
            last = info;
            if (outage) {
                outages++;
            } else {
                crashes++;
                long now = System.nanoTime();
                recent.addLast(now);
                while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
                    recent.removeFirst();
                }
                if (recent.size() > maxReplacements) {
                    exhausted = true;
                }
            }
        }
        if (outage) {
            LOG.warn(
                    "Stream thread {} gave up waiting for a dependency; replacing it in {} ms: {}",
                    thread,
                    outagePause.toMillis(),
                    describe(failure));
            pause();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (isExhausted()) {
            LOG.error(
                    "Stream thread {} failed more than {} times within {} ms; shutting the streams client down so that"
                            + " /healthz fails and the process is restarted",
                    thread,
                    maxReplacements,
                    window.toMillis(),
                    failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("Stream thread {} failed; replacing it", thread, failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** True once more than {@code maxReplacements} crashes fell within the window: the process is unhealthy. */
    synchronized boolean isExhausted() {
        return exhausted;
    }

    /** The last thread failure (at, thread, kind, cause), or null. */
    synchronized Map<String, Object> last() {
        return last == null ? null : new LinkedHashMap<>(last);
    }

    synchronized long crashes() {
        return crashes;
    }

    synchronized long outages() {
        return outages;
    }

    // The outermost message and the root cause's: Kafka Streams wraps a processor's exception in StreamsException.
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure
                ? outer
                : outer + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private void pause() {
        try {
            Thread.sleep(outagePause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

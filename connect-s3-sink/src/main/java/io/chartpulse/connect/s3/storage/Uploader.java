package io.chartpulse.connect.s3.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Uploads full parts in the background while the task goes on writing records, a few at a time: at most
 * {@code maxInFlight} parts of the task are in flight (and in memory) at once; the next waits for the oldest.
 * A failed part is uploaded again, in the task's thread, when its file is completed (see {@link OpenFile}).
 */
public final class Uploader implements AutoCloseable {

    private static final AtomicInteger TASKS = new AtomicInteger();

    private final ExecutorService threads;
    private final int maxInFlight;
    private final Deque<CompletableFuture<?>> inFlight = new ArrayDeque<>();

    public Uploader(int threads, int maxInFlight) {
        int task = TASKS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "chartpulse-s3-upload-" + task + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = maxInFlight;
    }

    /** Runs {@code upload} in the background, after waiting (in the caller) until fewer than the maximum are in flight. */
    public CompletableFuture<String> submit(Supplier<String> upload) {
        while (!inFlight.isEmpty() && (inFlight.peekFirst().isDone() || inFlight.size() >= maxInFlight)) {
            CompletableFuture<?> oldest = inFlight.removeFirst();
            try {
                oldest.join();
            } catch (RuntimeException failed) {
                // reported (and redone) when the part's file is completed
            }
        }
        CompletableFuture<String> future = CompletableFuture.supplyAsync(upload, threads);
        inFlight.addLast(future);
        return future;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.chartpulse.collector.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per client key (the client IP): {@code rate} events per second, up to {@code burst} at once.
 * The number of buckets is bounded; beyond it new clients share one overflow bucket, so a flood of addresses cannot
 * exhaust memory. Idle, full buckets are swept by {@link #sweep()}. Thread-safe.
 */
public final class RateLimiter {

    static final int MAX_BUCKETS = 100_000;
    private static final String OVERFLOW = "\u0000overflow";

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final double rate;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param rate events per second; 0 disables limiting */
    public RateLimiter(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    /**
     * Takes {@code events} tokens from {@code key}'s bucket.
     *
     * @return 0 when allowed, otherwise the whole seconds after which the same request would be allowed
     */
    public long tryAcquire(String key, int events) {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        String bucketKey = buckets.size() >= MAX_BUCKETS && !buckets.containsKey(key) ? OVERFLOW : key;
        Bucket bucket = buckets.computeIfAbsent(bucketKey, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
            bucket.refilledAt = now;
            // A batch larger than the bucket costs the whole bucket, so it can pass once the bucket is full.
            double cost = Math.min(events, burst);
            if (bucket.tokens >= cost) {
                bucket.tokens -= cost;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((cost - bucket.tokens) / rate));
        }
    }

    /** Drops buckets that have refilled completely: their clients are idle. */
    public void sweep() {
        long now = System.nanoTime();
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                return bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate >= burst
                        && now - bucket.refilledAt > TimeUnit.SECONDS.toNanos(10);
            }
        });
    }

    int size() {
        return buckets.size();
    }
}

package io.chartpulse.streams.enrich;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used cache for enrichment results that depend only on a string (a user agent, a URL).
 * Enrichers are shared by the stream threads of an instance, so access is synchronized; only the lookups and
 * stores are, never a computation.
 */
final class LruCache<K, V> {

    private final Map<K, V> entries;

    LruCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The value of {@code key}, computed (outside the lock, so other threads are not held up by a slow computation)
     * when not cached; two threads may then compute the same value, and the first one stored is kept.
     */
    V get(K key, Function<K, V> compute) {
        synchronized (this) {
            V value = entries.get(key);
            if (value != null) {
                return value;
            }
        }
        V value = compute.apply(key);
        synchronized (this) {
            V first = entries.putIfAbsent(key, value);
            return first == null ? value : first;
        }
    }

    synchronized boolean contains(K key) {
        return entries.containsKey(key);
    }

    synchronized int size() {
        return entries.size();
    }
}

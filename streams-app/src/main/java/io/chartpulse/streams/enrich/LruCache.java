package io.chartpulse.streams.enrich;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used cache for enrichment results that depend only on a string (a user agent, a URL).
 * Enrichers are shared by the stream threads of an instance, so access is synchronized; each call is short.
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

    synchronized V get(K key, Function<K, V> compute) {
        V value = entries.get(key);
        if (value == null) {
            value = compute.apply(key);
            entries.put(key, value);
        }
        return value;
    }

    synchronized int size() {
        return entries.size();
    }
}

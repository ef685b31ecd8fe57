package io.chartpulse.streams.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps what its processor writes as objects until the task commits, then writes each changed
 * key once — serialized once, to RocksDB and the changelog — instead of serializing every write into Kafka Streams'
 * record cache. The topology's two busiest stores (visitors, chart-metric windows) change with nearly every event,
 * and in them the record cache cost more than the work: a serialization per event, and a sorted-map lookup by the
 * key's bytes per event and again per flush.
 *
 * <p>The writes go out when Kafka Streams flushes the task's caches before each commit (this store answers that call
 * like its record cache does, through {@link CachedStateStore}), so under exactly-once they are in the same
 * transaction as the offsets they follow, and a task that fails before committing loses them with its transaction,
 * as it should ({@link #clearCache} and {@link #close} drop them). They also go out when more than
 * {@value #MAX_PENDING} keys wait, when the oldest waited {@value #MAX_PENDING_MS} ms (under at-least-once a commit is
 * 30 s apart) and before any range read by the processor, which reads the inner store.
 *
 * <p>Only the thread that writes (the task's stream thread) sees the pending objects; any other thread — an
 * interactive query — reads the inner store, which holds everything up to the last write-out: no query ever touches
 * an object the stream thread is changing. A value put here is kept by reference until written: its writer must
 * not change it afterwards without putting it again (the processors put each change, which is what marks the key).
 */
public final class WriteBehindStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

    /** Keys waiting at most before they are written out. */
    public static final int MAX_PENDING = 10_000;
    /** How long the oldest write waits at most before it is written out. */
    public static final long MAX_PENDING_MS = 1_000;

    private final KeyValueStore<K, V> inner;
    private final LongSupplier clock;
    // Written and read by the owner thread only.
    private final Map<K, V> pending = new LinkedHashMap<>();
    private long pendingSince;
    private volatile Thread owner;

    WriteBehindStore(KeyValueStore<K, V> inner, LongSupplier clock) {
        this.inner = inner;
        this.clock = clock;
    }

    /**
     * A builder of {@code inner}'s store behind a write-behind cache; {@code inner} must not cache (this replaces its
     * record cache).
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner) {
        return new Builder<>(inner.withCachingDisabled());
    }

    /**
     * {@code store} behind a write-behind cache when {@code writeBehind}, else with Kafka Streams' record cache: either
     * way RocksDB and the changelog get each changed key once per commit.
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> cached(
            StoreBuilder<KeyValueStore<K, V>> store, boolean writeBehind) {
        return writeBehind ? builder(store) : store.withCachingEnabled();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        owner = null;
        inner.init(context, root);
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        owner = Thread.currentThread();
        if (pending.isEmpty()) {
            pendingSince = clock.getAsLong();
        }
        pending.put(key, value);
        if (pending.size() > MAX_PENDING || clock.getAsLong() - pendingSince >= MAX_PENDING_MS) {
            writeOut();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(K key) {
        owner = Thread.currentThread();
        V waiting = pending.remove(key);
        V stored = inner.delete(key);
        return waiting != null ? waiting : stored;
    }

    @Override
    public V get(K key) {
        if (Thread.currentThread() == owner) {
            V waiting = pending.get(key);
            if (waiting != null) {
                return waiting;
            }
        }
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writeOutIfOwner();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writeOutIfOwner();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeOutIfOwner();
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeOutIfOwner();
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeOutIfOwner();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    /** Kafka Streams' call before each commit: every pending write goes to the inner store. */
    @Override
    public void flushCache() {
        writeOut();
    }

    /** Kafka Streams' call when a task's uncommitted work is thrown away: so are the pending writes. */
    @Override
    public void clearCache() {
        pending.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false; // nothing is forwarded from this store
    }

    @Override
    public void flush() {
        writeOut();
        inner.flush();
    }

    @Override
    public void close() {
        // A clean close flushes first; anything still pending belongs to work that is not committed.
        pending.clear();
        inner.close();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    /** How many writes wait (for tests). */
    int pending() {
        return pending.size();
    }

    private void writeOutIfOwner() {
        if (Thread.currentThread() == owner) {
            writeOut();
        }
    }

    private void writeOut() {
        if (pending.isEmpty()) {
            return;
        }
        // Copied first: a write to the inner store can call back into Kafka Streams, never into this map.
        List<Map.Entry<K, V>> out = new ArrayList<>(pending.entrySet());
        pending.clear();
        for (Map.Entry<K, V> e : out) {
            inner.put(e.getKey(), e.getValue());
        }
    }

    private static final class Builder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
        private StoreBuilder<KeyValueStore<K, V>> inner;

        Builder(StoreBuilder<KeyValueStore<K, V>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException(
                    "a write-behind store is its own cache; Kafka Streams' record cache would come on top of it");
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            inner = inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            inner = inner.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBehindStore<>(inner.build(), System::currentTimeMillis);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}

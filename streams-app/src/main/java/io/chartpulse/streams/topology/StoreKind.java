package io.chartpulse.streams.topology;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Where the topology's state stores keep their data. The live app uses {@link #PERSISTENT} (RocksDB, restored from
 * changelogs); an in-process run of the same graph that starts from nothing and commits after every record — the
 * batch replay in Kafka Streams' TopologyTestDriver, where a RocksDB flush per record would cost milliseconds —
 * uses {@link #IN_MEMORY}. The processors are the same either way.
 */
public enum StoreKind {
    PERSISTENT,
    IN_MEMORY;

    KeyValueBytesStoreSupplier keyValue(String name) {
        return this == PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    /** A window store (duplicates not retained). */
    public WindowBytesStoreSupplier window(String name, Duration retention, Duration size) {
        return this == PERSISTENT
                ? Stores.persistentWindowStore(name, retention, size, false)
                : Stores.inMemoryWindowStore(name, retention, size, false);
    }
}

package io.chartpulse.streams.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the topology's state stores keep their data. The live app uses {@link #PERSISTENT} (RocksDB, restored from
 * changelogs); an in-process run of the same graph that starts from nothing and commits after every record — the
 * batch replay in Kafka Streams' TopologyTestDriver, where a RocksDB flush per record would cost milliseconds —
 * uses {@link #IN_MEMORY}, without changelogs (nothing restores it, and the driver would keep every changelog record
 * it was sent). The processors are the same either way.
 */
public enum StoreKind {
    PERSISTENT,
    IN_MEMORY;

    KeyValueBytesStoreSupplier keyValue(String name) {
        return this == PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    /** {@code builder}, with its changelog when the store is {@link #PERSISTENT} and without when in memory. */
    public <S extends StateStore> StoreBuilder<S> logged(StoreBuilder<S> builder) {
        return this == PERSISTENT ? builder : builder.withLoggingDisabled();
    }
}

package io.chartpulse.registry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store log in memory, for unit tests of {@link SchemaRegistry}: an append is applied to the state before it
 * returns, as {@code KafkaStoreLog} does once it has read its own write back. The records stay, so a test can
 * replay them into a fresh state.
 */
final class MemoryStoreLog implements StoreLog {

    record Entry(byte[] key, byte[] value) {}

    private final RegistryState state;
    private final List<Entry> entries = new ArrayList<>();

    MemoryStoreLog(RegistryState state) {
        this.state = state;
    }

    @Override
    public synchronized long append(byte[] key, byte[] value) {
        entries.add(new Entry(key, value));
        StoreRecords.apply(state, key, value);
        return entries.size() - 1;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** A state rebuilt from the log alone, as a restarted registry rebuilds it from its topic. */
    synchronized RegistryState replay(RegistryState fresh) {
        entries.forEach(e -> StoreRecords.apply(fresh, e.key(), e.value()));
        return fresh;
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public Optional<String> leaderUrl() {
        return Optional.empty();
    }

    @Override
    public void close() {}
}

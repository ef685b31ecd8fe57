package io.chartpulse.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** In-memory key-value stores (no changelog) added to a processor's mock context, for processor unit tests. */
public final class TestStores {

    private TestStores() {}

    public static <K, V> KeyValueStore<K, V> add(
            MockProcessorContext<?, ?> context, String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}

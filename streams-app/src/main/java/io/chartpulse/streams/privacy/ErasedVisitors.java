package io.chartpulse.streams.privacy;

import io.chartpulse.schemas.ErasureKeys;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The visitors whose erasure was requested: a global table over the erasure requests topic (every instance holds
 * all of it), keyed as {@link ErasureKeys} says. Only a key's presence matters, so the values
 * stay bytes (no registry call to read a request). A processor asks {@link #erased} before it lets an event or a
 * session through.
 */
public final class ErasedVisitors {

    /** The global store's name. */
    public static final String STORE = "erased-visitors";

    private final KeyValueStore<String, ValueAndTimestamp<byte[]>> store;

    private ErasedVisitors(KeyValueStore<String, ValueAndTimestamp<byte[]>> store) {
        this.store = store;
    }

    /** The erased visitors as the processor of {@code context} sees them (the global store by {@link #STORE}). */
    public static ErasedVisitors open(ProcessingContext context) {
        return new ErasedVisitors(context.getStateStore(STORE));
    }

    /** Whether an erasure was requested for {@code anonymousId}, or for {@code userId} when there is one. */
    public boolean erased(CharSequence anonymousId, CharSequence userId) {
        return (anonymousId != null && store.get(ErasureKeys.anonymousId(anonymousId)) != null)
                || (userId != null && store.get(ErasureKeys.userId(userId)) != null);
    }
}

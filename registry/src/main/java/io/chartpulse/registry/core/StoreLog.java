package io.chartpulse.registry.core;

import java.util.Optional;

/**
 * The registry's durable, ordered log. Appends are read-your-writes: {@link #append} returns only after the
 * record has been applied to this instance's state.
 */
public interface StoreLog extends AutoCloseable {

    /**
     * Appends one record and waits until this instance has applied it.
     *
     * @return the record's offset in the log
     * @param value null for a tombstone
     * @throws io.chartpulse.registry.core.RegistryException NOT_LEADER when this instance may not write,
     *                                                       STORE_ERROR or OPERATION_TIMEOUT otherwise
     */
    long append(byte[] key, byte[] value);

    /** True while this instance is the one writer. */
    boolean isLeader();

    /** URL of the instance that writes, when known. */
    Optional<String> leaderUrl();

    @Override
    void close();
}

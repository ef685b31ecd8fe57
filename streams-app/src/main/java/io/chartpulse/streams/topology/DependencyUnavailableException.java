package io.chartpulse.streams.topology;

/** A dependency stayed unavailable past the stall limit of a {@link DependencyGuard}; the record was not processed. */
public final class DependencyUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

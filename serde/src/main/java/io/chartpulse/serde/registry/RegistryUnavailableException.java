package io.chartpulse.serde.registry;

/** No registry URL answered (connection refused, timed out, or 5xx) after every retry. */
public final class RegistryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.chartpulse.serde.registry;

/**
 * The registry answered with an error: the HTTP status, its {@code error_code} (e.g. 40401 subject not found,
 * 40403 schema not found, 409 incompatible, 42201 invalid schema) and its message.
 */
public final class RegistryRestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public RegistryRestException(String message, int status, int errorCode) {
        super(message + " (HTTP " + status + ", error code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }
}

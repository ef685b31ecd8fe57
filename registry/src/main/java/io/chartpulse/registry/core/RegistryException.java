package io.chartpulse.registry.core;

/** A domain failure the HTTP layer turns into {@code {"error_code": ..., "message": ...}}. */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    RegistryException(ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}

package io.chartpulse.registry.core;

/**
 * Every error the registry answers with: the HTTP status, the Confluent-compatible error code (status x 100 + n,
 * or the bare status where Confluent uses one) and the message template beside it. The one place error codes live.
 */
public enum ErrorCode {
    BAD_REQUEST(400, 400, "Bad request: %s"),
    UNAUTHORIZED(401, 401, "Unauthorized"),
    NOT_FOUND(404, 404, "HTTP 404 Not Found"),
    SUBJECT_NOT_FOUND(404, 40401, "Subject '%s' not found."),
    VERSION_NOT_FOUND(404, 40402, "Version %s not found."),
    SCHEMA_NOT_FOUND(404, 40403, "Schema not found"),
    SCHEMA_ID_NOT_FOUND(404, 40403, "Schema %s not found"),
    SUBJECT_SOFT_DELETED(404, 40404, "Subject '%s' was soft deleted.Set permanent=true to delete permanently"),
    SUBJECT_NOT_SOFT_DELETED(404, 40405, "Subject '%s' was not deleted first before being permanently deleted"),
    VERSION_SOFT_DELETED(
            404, 40406, "Subject '%s' Version %s was soft deleted.Set permanent=true to delete permanently"),
    VERSION_NOT_SOFT_DELETED(
            404, 40407, "Subject '%s' Version %s was not deleted first before being permanently deleted"),
    SUBJECT_CONFIG_NOT_FOUND(404, 40408, "Subject '%s' does not have subject-level compatibility configured"),
    METHOD_NOT_ALLOWED(405, 405, "HTTP 405 Method Not Allowed"),
    INCOMPATIBLE_SCHEMA(
            409, 409, "Schema being registered is incompatible with an earlier schema for subject \"%s\", details: %s"),
    PAYLOAD_TOO_LARGE(413, 413, "Request body is larger than the limit of %d bytes"),
    UNSUPPORTED_MEDIA_TYPE(415, 415, "HTTP 415 Unsupported Media Type: %s"),
    INVALID_SCHEMA(422, 42201, "Invalid schema: %s"),
    INVALID_VERSION(
            422,
            42202,
            "The specified version '%s' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""),
    INVALID_COMPATIBILITY_LEVEL(
            422,
            42203,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive; got '%s'"),
    UNSUPPORTED_SCHEMA_TYPE(422, 42201, "Schema type %s is not supported; this registry serves AVRO"),
    INVALID_MODE(422, 42204, "Mode %s is not supported; this registry runs in READWRITE mode"),
    STORE_ERROR(500, 50001, "Error in the backend datastore: %s"),
    OPERATION_TIMEOUT(500, 50002, "Operation timed out: %s"),
    FORWARDING_ERROR(500, 50003, "Error while forwarding the request to the leader: %s"),
    NOT_LEADER(500, 50004, "This instance is not the leader and knows no leader to forward to: %s");

    private final int httpStatus;
    private final int code;
    private final String template;

    ErrorCode(int httpStatus, int code, String template) {
        this.httpStatus = httpStatus;
        this.code = code;
        this.template = template;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    /** The exception for this code, its message filled from {@code args}. */
    public RegistryException exception(Object... args) {
        return new RegistryException(this, String.format(template, args));
    }
}

package io.chartpulse.connect.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Tells an outage from a refusal: MongoDB unreachable (a socket error, no server selectable in time), a primary
 * stepping down or a node recovering, or any error the driver labels retryable, is an outage to wait out; anything
 * else (a document MongoDB refuses, a duplicate key) is about the record, and its dead-letter topic is the place for
 * it.
 */
final class MongoOutages {

    /** The label the server and driver put on a write error that is safe to retry. */
    static final String RETRYABLE_WRITE_ERROR = "RetryableWriteError";

    private MongoOutages() {}

    /** The outage in {@code error} or its causes, or null when it is none. */
    static MongoException outage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoSocketException
                    || t instanceof MongoTimeoutException
                    || t instanceof MongoNotPrimaryException
                    || t instanceof MongoNodeIsRecoveringException) {
                return (MongoException) t;
            }
            if (t instanceof MongoException m
                    && (m.hasErrorLabel(RETRYABLE_WRITE_ERROR)
                            || m.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL))) {
                return m;
            }
        }
        return null;
    }
}

package io.chartpulse.connect.s3.storage;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import java.util.List;

/** The few S3 operations the sink uses; {@link AwsS3Storage} in production, any S3-compatible store. */
public interface S3Storage extends AutoCloseable {

    /** Writes a whole object (replacing one of the same key). */
    void put(String key, byte[] content);

    /**
     * Writes a small bookkeeping object of the sink's own (its progress, {@link S3SinkConfig#OFFSETS_DIR}): encrypted as
     * configured, but always in the standard storage class, since it is read back on every restart.
     */
    void putState(String key, byte[] content);

    /** Reads a bookkeeping object whole; null when there is none. */
    byte[] getState(String key);

    /** Starts a multipart upload; returns its upload id. */
    String createMultipart(String key);

    /** Uploads part {@code number} (from 1); returns its ETag. */
    String uploadPart(String key, String uploadId, int number, byte[] content);

    /** Completes an upload from its parts' ETags, in order; the object appears (or is replaced) atomically. */
    void complete(String key, String uploadId, List<String> etags);

    /** Aborts an upload, freeing its parts. */
    void abort(String key, String uploadId);

    @Override
    void close();
}

package io.chartpulse.connect.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One object being written: its key (fixed by its first record's offset), the format writer, and the upload
 * state. Completing is resumable: parts already uploaded stay uploaded, so a retry after an S3 error continues
 * where it stopped.
 */
final class OpenFile {

    final String key;
    final long startOffset;
    final Object schemaKey;
    final PartStream stream;
    private final FileFormat.FileWriter writer;
    private final List<String> etags = new ArrayList<>();
    private String uploadId;
    private boolean closed;
    private boolean restUploaded;
    private long records;

    OpenFile(String key, long startOffset, Object schemaKey, PartStream stream, FileFormat.FileWriter writer) {
        this.key = key;
        this.startOffset = startOffset;
        this.schemaKey = schemaKey;
        this.stream = stream;
        this.writer = writer;
    }

    FileFormat.FileWriter writer() {
        return writer;
    }

    void counted() {
        records++;
    }

    long records() {
        return records;
    }

    /** Uploads the full parts waiting in the stream (starting the multipart upload with the first). */
    void uploadPending(S3Storage s3, SinkMetrics metrics) {
        while (!stream.pending().isEmpty()) {
            if (uploadId == null) {
                uploadId = s3.createMultipart(key);
            }
            byte[] part = stream.pending().peekFirst();
            long started = System.nanoTime();
            etags.add(s3.uploadPart(key, uploadId, etags.size() + 1, part));
            metrics.uploaded(part.length, System.nanoTime() - started);
            stream.uploaded();
        }
    }

    /**
     * Finishes the file: closes the format writer (once), uploads what is left and completes the object. Throws
     * on an S3 error; calling it again resumes.
     */
    void complete(S3Storage s3, SinkMetrics metrics) throws IOException {
        if (!closed) {
            writer.close();
            closed = true;
        }
        uploadPending(s3, metrics);
        byte[] rest = stream.rest();
        long started = System.nanoTime();
        if (uploadId == null) {
            s3.put(key, rest);
        } else {
            if (!restUploaded && (rest.length > 0 || etags.isEmpty())) {
                etags.add(s3.uploadPart(key, uploadId, etags.size() + 1, rest));
            }
            restUploaded = true;
            s3.complete(key, uploadId, etags);
        }
        metrics.uploaded(rest.length, System.nanoTime() - started);
        metrics.committed(records, stream.total());
    }

    /** Gives up on the file: an open multipart upload is aborted (best effort). */
    void abort(S3Storage s3) {
        if (uploadId != null) {
            s3.abort(key, uploadId);
            uploadId = null;
        }
    }
}

package io.chartpulse.connect.s3;

import io.chartpulse.connect.s3.format.FileFormat;
import io.chartpulse.connect.s3.storage.PartStream;
import io.chartpulse.connect.s3.storage.S3Storage;
import io.chartpulse.connect.s3.storage.Uploader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
    private final List<Part> parts = new ArrayList<>();
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

    /** A part of the multipart upload: in flight, done (its ETag) or failed (then uploaded again on completion). */
    private static final class Part {
        final int number;
        volatile byte[] bytes;
        CompletableFuture<String> etag;

        Part(int number, byte[] bytes) {
            this.number = number;
            this.bytes = bytes;
        }
    }

    /** Sends the full parts waiting in the stream to the uploader (starting the multipart upload with the first). */
    void uploadPending(S3Storage s3, Uploader uploader, SinkMetrics metrics) {
        while (!stream.pending().isEmpty()) {
            if (uploadId == null) {
                uploadId = s3.createMultipart(key);
            }
            Part part = new Part(parts.size() + 1, stream.pending().peekFirst());
            String id = uploadId;
            part.etag = uploader.submit(() -> {
                long started = System.nanoTime();
                String etag = s3.uploadPart(key, id, part.number, part.bytes);
                metrics.uploaded(part.bytes.length, System.nanoTime() - started);
                part.bytes = null;
                return etag;
            });
            parts.add(part);
            stream.taken();
        }
    }

    /** Bytes of parts not uploaded yet (in flight or failed). */
    long inFlightBytes() {
        long sum = 0;
        for (Part part : parts) {
            byte[] bytes = part.bytes;
            sum += bytes == null ? 0 : bytes.length;
        }
        return sum;
    }

    /**
     * Finishes the file: closes the format writer (once), waits for its parts (uploading a failed one again), uploads
     * what is left and completes the object. Throws on an S3 error; calling it again resumes.
     */
    void complete(S3Storage s3, Uploader uploader, SinkMetrics metrics) throws IOException {
        if (!closed) {
            writer.close();
            closed = true;
        }
        uploadPending(s3, uploader, metrics);
        List<String> etags = new ArrayList<>();
        for (Part part : parts) {
            String etag;
            try {
                etag = part.etag.join();
            } catch (CompletionException | CancellationException failed) {
                long started = System.nanoTime();
                etag = s3.uploadPart(key, uploadId, part.number, part.bytes);
                metrics.uploaded(part.bytes.length, System.nanoTime() - started);
                part.etag = CompletableFuture.completedFuture(etag);
                part.bytes = null;
            }
            etags.add(etag);
        }
        byte[] rest = stream.rest();
        long started = System.nanoTime();
        if (uploadId == null) {
            s3.put(key, rest);
        } else {
            if (!restUploaded && (rest.length > 0 || parts.isEmpty())) {
                Part last = new Part(parts.size() + 1, rest);
                last.etag = CompletableFuture.completedFuture(s3.uploadPart(key, uploadId, last.number, rest));
                last.bytes = null;
                parts.add(last);
                etags.add(last.etag.join());
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

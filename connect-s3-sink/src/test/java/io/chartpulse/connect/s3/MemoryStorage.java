package io.chartpulse.connect.s3;

import io.chartpulse.connect.s3.storage.S3Storage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory {@link S3Storage} for unit tests of the writer, with a switch to fail the next calls. */
final class MemoryStorage implements S3Storage {
    // Synchronized: parts are uploaded from the uploader's threads.

    final Map<String, byte[]> objects = new TreeMap<>();
    /** The sink's progress objects, apart from the archive's. */
    final Map<String, byte[]> state = new TreeMap<>();

    final Map<String, List<byte[]>> uploads = new HashMap<>();
    final List<String> aborted = new ArrayList<>();
    int putCalls;
    int failNext;
    int failPartsNext;
    int failStateWritesNext;
    private int uploadSeq;

    private void maybeFail() {
        if (failNext > 0) {
            failNext--;
            throw software.amazon.awssdk.core.exception.SdkClientException.create("injected failure");
        }
    }

    @Override
    public synchronized void put(String key, byte[] content) {
        maybeFail();
        putCalls++;
        objects.put(key, content.clone());
    }

    @Override
    public synchronized void putState(String key, byte[] content) {
        maybeFail();
        if (failStateWritesNext > 0) {
            failStateWritesNext--;
            throw software.amazon.awssdk.core.exception.SdkClientException.create("injected progress failure");
        }
        state.put(key, content.clone());
    }

    @Override
    // Never fails: failNext is for the writes the tests count (a read failure is retried like any other).
    public synchronized byte[] getState(String key) {
        byte[] content = state.get(key);
        return content == null ? null : content.clone();
    }

    @Override
    public synchronized String createMultipart(String key) {
        maybeFail();
        String id = "upload-" + (++uploadSeq);
        uploads.put(id, new ArrayList<>());
        return id;
    }

    @Override
    public synchronized String uploadPart(String key, String uploadId, int number, byte[] content) {
        maybeFail();
        if (failPartsNext > 0) {
            failPartsNext--;
            throw software.amazon.awssdk.core.exception.SdkClientException.create("injected part failure");
        }
        List<byte[]> parts = uploads.get(uploadId);
        while (parts.size() < number) {
            parts.add(null);
        }
        parts.set(number - 1, content.clone());
        return "etag-" + number;
    }

    @Override
    public synchronized void complete(String key, String uploadId, List<String> etags) {
        maybeFail();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<byte[]> parts = uploads.remove(uploadId);
        for (int i = 0; i < etags.size(); i++) {
            all.writeBytes(parts.get(i));
        }
        objects.put(key, all.toByteArray());
    }

    @Override
    public synchronized void abort(String key, String uploadId) {
        aborted.add(key);
        uploads.remove(uploadId);
    }

    @Override
    public void close() {}
}

package io.chartpulse.connect.s3.storage;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Where a file's bytes go while it is written: the current part grows in memory; once it reaches the part size it
 * becomes a pending part, to be uploaded as one part of a multipart upload (by the caller, outside the format
 * writer, so an upload failure never leaves a half-written Avro block behind).
 */
public final class PartStream extends OutputStream {

    private final int partSize;
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private byte[] current = new byte[8192];
    private int length;
    private long total;
    private long pendingBytes;

    public PartStream(int partSize) {
        this.partSize = partSize;
    }

    @Override
    public void write(int b) {
        ensure(1);
        current[length++] = (byte) b;
        total++;
        maybeCut();
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, partSize - length);
            ensure(n);
            System.arraycopy(b, off, current, length, n);
            length += n;
            total += n;
            off += n;
            len -= n;
            maybeCut();
        }
    }

    private void ensure(int n) {
        if (length + n > current.length) {
            current = Arrays.copyOf(current, Math.min(partSize, Math.max(length + n, current.length * 2)));
        }
    }

    private void maybeCut() {
        if (length >= partSize) {
            pending.add(Arrays.copyOf(current, length));
            pendingBytes += length;
            length = 0;
        }
    }

    /** Full parts waiting for upload, oldest first. */
    public Deque<byte[]> pending() {
        return pending;
    }

    /** Removes the oldest pending part (its upload has begun; the caller holds its bytes). */
    public void taken() {
        pendingBytes -= pending.removeFirst().length;
    }

    /** The bytes after the last full part (the last part of the object, or all of a small one). */
    public byte[] rest() {
        return Arrays.copyOf(current, length);
    }

    /** Bytes written so far. */
    public long total() {
        return total;
    }

    /** Bytes held in memory: pending parts and the current one. */
    public long buffered() {
        return pendingBytes + length;
    }
}

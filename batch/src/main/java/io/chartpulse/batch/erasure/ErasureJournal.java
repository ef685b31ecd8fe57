package io.chartpulse.batch.erasure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What an erasure run has planned and done so far, kept beside the archive ({@code _erasure/<request id>.json}) so
 * that a run killed half way resumes where it stopped and still reports what the first attempt removed: the hours
 * of the archive to rewrite (planned before the stores that told them are erased), each store's counts taken before
 * its deletion, the archive objects rewritten with what each lost, and when each step started. No identifier of the
 * visitor is in it.
 */
final class ErasureJournal {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The journal's content (Jackson reads and writes its public fields). */
    public static final class State {
        public TreeSet<String> hours;
        public Map<String, Long> counts = new TreeMap<>();
        public Map<String, Long> objects = new TreeMap<>();
        public Map<String, String> started = new TreeMap<>();
        public TreeSet<String> lakeFiles = new TreeSet<>();
    }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    final State state;

    private ErasureJournal(S3Client s3, String bucket, String key, State state) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.state = state;
    }

    static String key(String requestId) {
        return "_erasure/" + requestId + ".json";
    }

    static ErasureJournal load(S3Client s3, String bucket, String requestId) {
        String key = key(requestId);
        State state;
        try {
            state = JSON.readValue(
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray(), State.class);
        } catch (NoSuchKeyException e) {
            state = new State();
        } catch (IOException e) {
            throw new UncheckedIOException("The erasure journal s3://" + bucket + "/" + key + " is not readable", e);
        }
        return new ErasureJournal(s3, bucket, key, state);
    }

    /** When the step of {@code store} first started (noted now if it had not). */
    Instant started(String store, Instant now) {
        String at = state.started.get(store);
        if (at == null) {
            state.started.put(store, now.toString());
            save();
            return now;
        }
        return Instant.parse(at);
    }

    /** The count noted under {@code name}, or {@code count} noted now (what was there before the deletion). */
    long count(String name, LongSupplier count) {
        Long noted = state.counts.get(name);
        if (noted == null) {
            noted = count.getAsLong();
            state.counts.put(name, noted);
            save();
        }
        return noted;
    }

    void save() {
        try {
            byte[] bytes = JSON.writeValueAsBytes(state);
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

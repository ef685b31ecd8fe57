package io.chartpulse.batch.erasure;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.avro.ErasureStore;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.KafkaState;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.lake.LakeErasure;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The erasure job: for one request, removes the visitor from every store that keeps them, one store at a time, and
 * writes one audit record per store when that store is done ({@link ErasureTopics#audit}). A store with an audit
 * record is never done again, so a run killed half way is run again to the same end, its audit not doubled; counts
 * are taken before each deletion and kept in the {@link ErasureJournal}, so the audit reports what the first attempt
 * removed. The stores, in order:
 *
 * <ol>
 *   <li>{@code STREAMS}: nothing to delete here — the streams app drops the visitor's events from the request on
 *       and deletes their open session when it comes due (the record says so);
 *   <li>{@code MONGODB}: the visitor's {@code events} and {@code sessions} documents;
 *   <li>{@code LAKE}: their rows of {@code enriched_events} and {@code sessions}, copy-on-write, and the snapshots
 *       before it expired ({@link LakeErasure});
 *   <li>{@code RAW_ARCHIVE}: the archive objects of the hours the visitor was seen in (from MongoDB and the lake,
 *       noted before step 2) and of the hours since the request, rewritten without their records in one PUT each,
 *       once the S3 sink has completed every object up to the raw topic's end;
 *   <li>{@code KAFKA_TOPICS}: nothing can be deleted from a topic: the record gives when each topic's retention
 *       will have aged the visitor's records out.
 * </ol>
 */
public final class Erasure {

    /** The MongoDB collections that hold a visitor's documents, each with the time field that dates them. */
    static final Map<String, String> COLLECTIONS = Map.of("events", "received_at", "sessions", "start_at");

    /** The topics that hold a visitor's records until their retention ends. */
    static final List<Topic> TOPICS =
            List.of(Topic.RAW_EVENTS, Topic.ENRICHED_EVENTS, Topic.INVALID_EVENTS, Topic.SESSIONS);

    /** A step that cannot finish yet (the archive not caught up): run the job again later. */
    public static final class NotYetException extends RuntimeException {
        NotYetException(String message) {
            super(message);
        }
    }

    /** The stores an erasure goes through, in order; it is complete when each has its audit record. */
    public static final List<ErasureStore> STORES = List.of(
            ErasureStore.STREAMS,
            ErasureStore.MONGODB,
            ErasureStore.LAKE,
            ErasureStore.RAW_ARCHIVE,
            ErasureStore.KAFKA_TOPICS);

    /**
     * A new request (a fresh id, requested now) for the given identifiers.
     *
     * @throws IllegalArgumentException naming what is wrong: no identifier, an empty one, no requester
     */
    public static ErasureRequest request(
            List<String> anonymousIds, List<String> userIds, String requester, Instant now) {
        if (anonymousIds.isEmpty() && userIds.isEmpty()) {
            throw new IllegalArgumentException("Name the visitor: at least one anonymous id or user id");
        }
        for (List<String> ids : List.of(anonymousIds, userIds)) {
            for (String id : ids) {
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("An identifier is empty");
                }
            }
        }
        if (requester == null || requester.isBlank()) {
            throw new IllegalArgumentException("Say who asked for the erasure (the requester)");
        }
        return ErasureRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAnonymousIds(new ArrayList<>(anonymousIds))
                .setUserIds(new ArrayList<>(userIds))
                .setRequestedAt(now)
                .setRequester(requester)
                .build();
    }

    /** Whether the audit records of a request (by store name) cover every store. */
    public static boolean complete(Map<String, ErasureAudit> audit) {
        return STORES.stream().allMatch(store -> audit.containsKey(store.name()));
    }

    /** A consumer group that must have read a topic up to its end before the stores are erased. */
    public record Upstream(String group, String topic) {}

    private final ErasureTopics topics;
    private final List<Upstream> upstreams;
    private final MongoDatabase mongo;
    private final Catalog lake;
    private final RawArchive archive;
    private final Duration archiveWait;
    private final Clock clock;
    private final Consumer<String> log;

    /**
     * @param upstreams the groups that must have caught up before a store is erased, in order: the streams app on
     *     the raw topic (so that every event of the visitor it took before the request is in its outputs), then the
     *     sinks of MongoDB and the lake on those outputs (so that none of it lands after the deletion)
     * @param mongo the database of the events and sessions collections
     * @param lake the lake's catalog; null when there is no lake (its step then says so)
     * @param archiveWait how long the run waits for the upstream groups, and the archive step for the S3 sink to
     *     complete its objects, before it leaves the rest for the next run
     * @param log progress lines
     */
    public Erasure(
            ErasureTopics topics,
            List<Upstream> upstreams,
            MongoDatabase mongo,
            Catalog lake,
            RawArchive archive,
            Duration archiveWait,
            Clock clock,
            Consumer<String> log) {
        this.topics = topics;
        this.upstreams = upstreams;
        this.mongo = mongo;
        this.lake = lake;
        this.archive = archive;
        this.archiveWait = archiveWait;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Runs what is left of {@code request}; returns its audit records by store, all of them when the erasure is
     * complete.
     *
     * @throws NotYetException when the archive step must wait for the S3 sink longer than it may (the stores
     *     before it are done and audited)
     */
    public Map<ErasureStore, ErasureAudit> run(ErasureRequest request) {
        String id = request.getRequestId();
        Map<String, ErasureAudit> done = topics.audit(id);
        ErasureJournal journal = ErasureJournal.load(archive.s3(), archive.bucket(), id);
        Visitor visitor = new Visitor(request);
        if (!done.containsKey(ErasureStore.LAKE.name())) {
            for (Upstream u : upstreams) {
                settle(u);
            }
        }
        if (journal.state.hours == null) {
            // Before MongoDB and the lake forget them: the archive hours the visitor's events were received in.
            journal.state.hours = seenHours(visitor);
            journal.save();
        }
        step(
                id,
                ErasureStore.STREAMS,
                done,
                journal,
                () -> new Outcome(
                        0,
                        "new events of the visitor dropped by the streams app since the request"
                                + " (chartpulse_streams_dropped_total{reason=\"erased\"}); an open session deleted from the"
                                + " visitor store, not emitted, when it comes due (session gap + grace after the last event),"
                                + " with the visitor's recent event ids; ids left after the sessions closed deleted by the"
                                + " store's sweep"));
        step(id, ErasureStore.MONGODB, done, journal, () -> eraseMongo(visitor, journal));
        step(id, ErasureStore.LAKE, done, journal, () -> eraseLake(visitor, journal, id));
        step(id, ErasureStore.RAW_ARCHIVE, done, journal, () -> eraseArchive(visitor, journal, request));
        step(id, ErasureStore.KAFKA_TOPICS, done, journal, () -> topicRetention(request));
        Map<ErasureStore, ErasureAudit> out = new EnumMap<>(ErasureStore.class);
        topics.audit(id).values().forEach(a -> out.put(a.getStore(), a));
        return out;
    }

    private record Outcome(long removed, String detail) {}

    private void step(
            String id,
            ErasureStore store,
            Map<String, ErasureAudit> done,
            ErasureJournal journal,
            Supplier<Outcome> work) {
        if (done.containsKey(store.name())) {
            log.accept(id + " " + store + ": done before");
            return;
        }
        Instant started = journal.started(store.name(), clock.instant());
        Outcome outcome = work.get();
        ErasureAudit audit = ErasureAudit.newBuilder()
                .setRequestId(id)
                .setStore(store)
                .setRemoved(outcome.removed())
                .setDetail(outcome.detail())
                .setStartedAt(started)
                .setFinishedAt(clock.instant())
                .build();
        topics.audit(audit);
        log.accept(id + " " + store + ": " + outcome.removed() + " removed — " + outcome.detail());
    }

    // The visitor: its anonymous ids and user ids, as a MongoDB filter, an Iceberg expression and row tests.
    static final class Visitor {
        final Set<String> anonymousIds = new HashSet<>();
        final Set<String> userIds = new HashSet<>();

        Visitor(ErasureRequest request) {
            request.getAnonymousIds().forEach(id -> anonymousIds.add(id.toString()));
            request.getUserIds().forEach(id -> userIds.add(id.toString()));
        }

        Bson mongoFilter() {
            return Filters.or(Filters.in("anonymous_id", anonymousIds), Filters.in("user_id", userIds));
        }

        Expression lakeFilter() {
            Expression e = Expressions.alwaysFalse();
            if (!anonymousIds.isEmpty()) {
                e = Expressions.or(e, Expressions.in("anonymous_id", anonymousIds.toArray()));
            }
            if (!userIds.isEmpty()) {
                e = Expressions.or(e, Expressions.in("user_id", userIds.toArray()));
            }
            return e;
        }

        boolean matches(Object anonymousId, Object userId) {
            return (anonymousId != null && anonymousIds.contains(anonymousId.toString()))
                    || (userId != null && userIds.contains(userId.toString()));
        }

        Predicate<Record> row() {
            return r -> matches(r.getField("anonymous_id"), r.getField("user_id"));
        }

        Predicate<GenericRecord> archived() {
            return r -> matches(r.get("anonymous_id"), r.get("user_id"));
        }
    }

    private TreeSet<String> seenHours(Visitor visitor) {
        TreeSet<String> hours = new TreeSet<>();
        Consumer<Instant> add = t ->
                hours.add(Interval.containing(Interval.Grain.HOUR, t).start().toString());
        for (Document d : mongo.getCollection("events").find(visitor.mongoFilter())) {
            Date received = d.getDate("received_at");
            if (received != null) {
                add.accept(received.toInstant());
            }
        }
        if (lake != null) {
            Table events = lake.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
            try (CloseableIterable<Record> rows = IcebergGenerics.read(events)
                    .where(visitor.lakeFilter())
                    .select("anonymous_id", "user_id", "received_at")
                    .build()) {
                for (Record r : rows) {
                    if (visitor.row().test(r)) {
                        Instant t = instant(r.getField("received_at"));
                        if (t != null) {
                            add.accept(t);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hours;
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return null;
    }

    private Outcome eraseMongo(Visitor visitor, ErasureJournal journal) {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (String name : List.of("events", "sessions")) {
            MongoCollection<Document> collection = mongo.getCollection(name);
            long n = journal.count("mongodb." + name, () -> collection.countDocuments(visitor.mongoFilter()));
            collection.deleteMany(visitor.mongoFilter());
            removed.put(name, n);
        }
        return new Outcome(
                removed.values().stream().mapToLong(Long::longValue).sum(),
                "documents deleted from " + mongo.getName() + ": " + removed.get("events") + " events, "
                        + removed.get("sessions") + " sessions");
    }

    private Outcome eraseLake(Visitor visitor, ErasureJournal journal, String id) {
        if (lake == null) {
            return new Outcome(0, "no lake configured");
        }
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (LakeTable t : List.of(LakeTable.ENRICHED_EVENTS, LakeTable.SESSIONS)) {
            Table table = lake.loadTable(t.identifier());
            long n = journal.count(
                    "lake." + t.tableName(), () -> LakeErasure.count(table, visitor.lakeFilter(), visitor.row()));
            LakeErasure.Result result = LakeErasure.erase(table, visitor.lakeFilter(), visitor.row(), id, replaced -> {
                journal.state.lakeFiles.addAll(replaced);
                journal.save();
            });
            int deleted = LakeErasure.deleteUnreferenced(
                    table,
                    journal.state.lakeFiles.stream()
                            .filter(f -> f.startsWith(table.location() + "/"))
                            .toList());
            int abandoned = LakeErasure.deleteAbandoned(table, visitor.row());
            total += n;
            parts.add(t.tableName() + ": " + n + " rows (" + result.filesRewritten() + " files rewritten, "
                    + deleted + " replaced files deleted, " + result.snapshotsExpired()
                    + " older snapshots expired, " + abandoned + " files the sink abandoned deleted)");
        }
        return new Outcome(total, "copy-on-write: " + String.join("; ", parts));
    }

    private Outcome eraseArchive(Visitor visitor, ErasureJournal journal, ErasureRequest request) {
        // Every record produced before now must be in a complete object first: the sink never writes those again.
        Map<Integer, Long> ends = topics.kafka().endOffsets(archive.topic());
        Instant deadline = clock.instant().plus(archiveWait);
        Map<Integer, Long> complete = new LinkedHashMap<>();
        while (true) {
            complete.clear();
            ends.keySet().forEach(p -> complete.put(p, archive.complete(p)));
            String behind = behind(ends, complete);
            if (behind == null) {
                break;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new NotYetException("the S3 sink has not completed its objects up to the end of "
                        + archive.topic() + " (" + behind + "); run the erasure again once it has");
            }
            sleep();
        }
        TreeSet<String> hours = new TreeSet<>(journal.state.hours);
        Instant from = Interval.containing(Interval.Grain.HOUR, request.getRequestedAt())
                .start()
                .minus(Duration.ofHours(1));
        for (Instant h = from; h.isBefore(clock.instant()); h = h.plus(Duration.ofHours(1))) {
            hours.add(h.toString());
        }
        int scanned = 0;
        for (String hour : hours) {
            for (String key : archive.objects(Interval.containing(Interval.Grain.HOUR, Instant.parse(hour)))) {
                scanned++;
                long[] po = RawArchive.partitionAndOffset(key);
                if (po[1] >= complete.getOrDefault((int) po[0], 0L)) {
                    continue; // an object the sink may still write again: holds only records after this step began
                }
                long n = archive.rewriteWithout(key, visitor.archived());
                if (n > 0) {
                    journal.state.objects.merge(key, n, Long::sum);
                    journal.save();
                }
            }
        }
        long total = journal.state.objects.values().stream()
                .mapToLong(Long::longValue)
                .sum();
        return new Outcome(
                total,
                journal.state.objects.size() + " objects rewritten without the visitor's records (" + scanned
                        + " objects of " + hours.size() + " hours read)");
    }

    // Waits until the group has committed everything the topic held when the wait began.
    private void settle(Upstream u) {
        Map<Integer, Long> ends = topics.kafka().endOffsets(u.topic());
        Instant deadline = clock.instant().plus(archiveWait);
        while (true) {
            Map<Integer, Long> committed = new LinkedHashMap<>();
            for (KafkaState.Progress p : topics.kafka().progress(u.group(), u.topic())) {
                // No record left to read (only a transaction marker, which takes an offset): as good as the end.
                committed.put(
                        p.partition().partition(),
                        p.nextTimestamp() == null ? Math.max(p.committed(), p.end()) : p.committed());
            }
            String behind = behind(ends, committed);
            if (behind == null) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new NotYetException(u.group() + " has not caught up on " + u.topic() + " (" + behind
                        + "); run the erasure again once it has");
            }
            sleep();
        }
    }

    private static String behind(Map<Integer, Long> ends, Map<Integer, Long> complete) {
        List<String> behind = new ArrayList<>();
        ends.forEach((p, end) -> {
            if (complete.getOrDefault(p, 0L) < end) {
                behind.add("partition " + p + ": at " + complete.getOrDefault(p, 0L) + " of " + end);
            }
        });
        return behind.isEmpty() ? null : String.join(", ", behind);
    }

    // A record is deleted with its segment: once the newest record of the segment is older than retention.ms, and
    // the segment is rolled at the latest segment.ms after its first record. So a record is gone by retention.ms +
    // segment.ms after it was written.
    private Outcome topicRetention(ErasureRequest request) {
        List<String> parts = new ArrayList<>();
        for (Topic t : TOPICS) {
            String[] config = topics.kafka().retention(t.topicName());
            long retention = Long.parseLong(config[0]);
            long segment = Long.parseLong(config[2]);
            parts.add(
                    retention < 0 || !config[1].contains("delete")
                            ? t.topicName() + " keeps records for ever (retention.ms=" + config[0] + ", cleanup.policy="
                                    + config[1] + ")"
                            : t.topicName() + " by " + request.getRequestedAt().plusMillis(retention + segment)
                                    + " (retention " + Duration.ofMillis(retention) + " + segment roll "
                                    + Duration.ofMillis(segment) + ")");
        }
        return new Outcome(
                0,
                "records are not deleted from topics; those written before the request age out: "
                        + String.join(", ", parts));
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

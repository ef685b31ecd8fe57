package io.chartpulse.streams.session;

import io.chartpulse.avro.Session;
import io.chartpulse.streams.dedupe.RecentIds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One visitor's state in the visitor store: its recent event ids (deduplication) and its open sessions, ordered by
 * start (almost always none or one). Mutable; the {@link Visitors} processor keeps the states of recently active
 * visitors as objects and writes each change through to the store.
 *
 * <p>Stored as {@value #MARKER}, the released Session schema version the sessions were written with (see
 * {@link OpenSessions}), the earliest end of the open sessions and the newest id's received_at (two big-endian
 * longs, so that the index rebuild and the sweep read them without decoding anything else), the ids (a count, then
 * each id as 16 bytes and its received_at as a zig-zag varint before the newest), then the sessions as Avro binary
 * of {@code array<Session>}. The sessions are decoded only when asked for. Values written by earlier versions, which
 * held the open sessions alone ({@link OpenSessions}' format), read as sessions without ids.
 */
public final class VisitorState {

    static final int MARKER = 0x7E;
    private static final int HEADER = 18;

    private final RecentIds ids;
    private List<Session> sessions;
    private final byte[] stored;
    private final int sessionsAt;
    private final int sessionsVersion;
    private final long storedEarliestEnd;

    /** A visitor seen for the first time. */
    public VisitorState() {
        this(new RecentIds(), new ArrayList<>(1));
    }

    /** A state of these ids and open sessions. */
    public VisitorState(RecentIds ids, List<Session> sessions) {
        this(ids, sessions, null, 0, 0, Long.MAX_VALUE);
    }

    private VisitorState(
            RecentIds ids,
            List<Session> sessions,
            byte[] stored,
            int sessionsAt,
            int sessionsVersion,
            long storedEarliestEnd) {
        this.ids = ids;
        this.sessions = sessions;
        this.stored = stored;
        this.sessionsAt = sessionsAt;
        this.sessionsVersion = sessionsVersion;
        this.storedEarliestEnd = storedEarliestEnd;
    }

    public RecentIds ids() {
        return ids;
    }

    /** The open sessions, ordered by start; decoded on first use. The list may be changed in place. */
    public List<Session> sessions() {
        if (sessions == null) {
            sessions =
                    new ArrayList<>(OpenSessions.read(stored, sessionsAt, stored.length - sessionsAt, sessionsVersion));
        }
        return sessions;
    }

    /** Replaces the open sessions. */
    public void sessions(List<Session> open) {
        this.sessions = open;
    }

    /** The earliest end of the open sessions (epoch ms); {@link Long#MAX_VALUE} when none is open. */
    public long earliestEnd() {
        return sessions == null ? storedEarliestEnd : earliestEnd(sessions);
    }

    private static long earliestEnd(List<Session> sessions) {
        long end = Long.MAX_VALUE;
        for (Session s : sessions) {
            end = Math.min(end, s.getEndAt().toEpochMilli());
        }
        return end;
    }

    /** The store's serde. */
    public static Serde<VisitorState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : write(state), (topic, data) -> read(data));
    }

    private static boolean headed(byte[] data) {
        return data.length >= HEADER && (data[0] & 0xFF) == MARKER;
    }

    static byte[] write(VisitorState state) {
        List<Session> open = state.sessions();
        RecentIds ids = state.ids;
        long newest = ids.newest();
        ByteBuffer head = ByteBuffer.allocate(HEADER + 4 + ids.size() * 26);
        head.put((byte) MARKER)
                .put((byte) OpenSessions.version())
                .putLong(earliestEnd(open))
                .putLong(newest)
                .putInt(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            head.putLong(ids.most(i)).putLong(ids.least(i));
            // Never negative: the newest is at least every id's received_at.
            for (long v = newest - ids.receivedAt(i); ; v >>>= 7) {
                if ((v & ~0x7FL) == 0) {
                    head.put((byte) v);
                    break;
                }
                head.put((byte) ((v & 0x7F) | 0x80));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.position() + open.size() * 512 + 8);
        bytes.write(head.array(), 0, head.position());
        OpenSessions.write(open, EncoderFactory.get().directBinaryEncoder(bytes, null));
        return bytes.toByteArray();
    }

    static VisitorState read(byte[] data) {
        if (data == null) {
            return null;
        }
        if (!headed(data)) {
            // A value of the session store before the visitor state: the open sessions alone.
            List<Session> open = OpenSessions.serde().deserializer().deserialize(null, data);
            return new VisitorState(new RecentIds(), new ArrayList<>(open));
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(data, 2, data.length - 2);
            long earliestEnd = in.getLong();
            long newest = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 17) {
                throw new IllegalArgumentException("an id count of " + count);
            }
            long[] most = new long[count];
            long[] least = new long[count];
            long[] at = new long[count];
            for (int i = 0; i < count; i++) {
                most[i] = in.getLong();
                least[i] = in.getLong();
                long before = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = in.get();
                    before |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                at[i] = newest - before;
            }
            return new VisitorState(
                    RecentIds.of(most, least, at), null, data, in.position(), data[1] & 0xFF, earliestEnd);
        } catch (RuntimeException e) {
            throw new SerializationException("unreadable visitor state in the visitor store", e);
        }
    }
}

package io.chartpulse.streams.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The heap with stale entries answers exactly as a sorted set of (due, key) with a map of each key's due would —
 * the plain structure it replaced — for any sequence of sets, removals, polls and clears.
 */
class DueIndexPropertyTest {

    record Op(char kind, String key, long time) {}

    @Property(tries = 300)
    void answersAsASortedSetDoes(@ForAll("operations") List<Op> ops) {
        check(new DueIndex(), ops);
    }

    @Property(tries = 300)
    void answersAsASortedSetDoesWhenRebuiltAsSoonAsStaleEntriesOutnumberLiveKeys(@ForAll("operations") List<Op> ops) {
        check(new DueIndex(0), ops);
    }

    private static void check(DueIndex index, List<Op> ops) {
        Reference reference = new Reference();
        for (Op op : ops) {
            switch (op.kind()) {
                case 's' -> {
                    index.set(op.key(), op.time());
                    reference.set(op.key(), op.time());
                }
                case 'r' -> {
                    index.remove(op.key());
                    reference.remove(op.key());
                }
                case 'p' -> assertThat(index.pollDue(op.time())).isEqualTo(reference.pollDue(op.time()));
                default -> {
                    index.clear();
                    reference.clear();
                }
            }
            assertThat(index.earliest()).isEqualTo(reference.earliest());
            assertThat(index.size()).isEqualTo(reference.size());
        }
        assertThat(index.pollDue(Long.MAX_VALUE)).isEqualTo(reference.pollDue(Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // Few keys and times, so keys are set again, times collide and ties are broken by key.
        Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h");
        Arbitrary<Long> times = Arbitraries.longs().between(0, 40);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, keys.flatMap(k -> times.map(t -> new Op('s', k, t)))),
                net.jqwik.api.Tuple.of(3, keys.map(k -> new Op('r', k, 0))),
                net.jqwik.api.Tuple.of(4, times.map(t -> new Op('p', "", t))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op('c', "", 0))));
        return op.list().ofMaxSize(400);
    }

    private static final class Reference {
        private record Entry(long due, String key) {}

        private final TreeSet<Entry> byTime =
                new TreeSet<>(Comparator.comparingLong(Entry::due).thenComparing(Entry::key));
        private final Map<String, Long> dueOf = new HashMap<>();

        void set(String key, long due) {
            Long before = dueOf.put(key, due);
            if (before != null) {
                byTime.remove(new Entry(before, key));
            }
            byTime.add(new Entry(due, key));
        }

        void remove(String key) {
            Long before = dueOf.remove(key);
            if (before != null) {
                byTime.remove(new Entry(before, key));
            }
        }

        long earliest() {
            return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().due();
        }

        List<String> pollDue(long upTo) {
            List<String> due = new ArrayList<>();
            while (!byTime.isEmpty() && byTime.first().due() <= upTo) {
                Entry first = byTime.pollFirst();
                dueOf.remove(first.key());
                due.add(first.key());
            }
            return due;
        }

        int size() {
            return dueOf.size();
        }

        void clear() {
            byTime.clear();
            dueOf.clear();
        }
    }
}

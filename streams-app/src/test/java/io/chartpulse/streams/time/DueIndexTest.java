package io.chartpulse.streams.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DueIndexTest {

    @Test
    void givesTheDueKeysEarliestFirstAndForgetsThem() {
        DueIndex index = new DueIndex();
        assertThat(index.earliest()).isEqualTo(Long.MAX_VALUE);
        index.set("b", 20);
        index.set("a", 20);
        index.set("c", 10);
        index.set("d", 40);
        assertThat(index.earliest()).isEqualTo(10);
        assertThat(index.pollDue(20)).containsExactly("c", "a", "b");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.pollDue(39)).isEmpty();
        assertThat(index.earliest()).isEqualTo(40);
    }

    @Test
    void aNewTimeReplacesTheOldAndRemovedKeysAreNeverDue() {
        DueIndex index = new DueIndex();
        index.set("a", 10);
        index.set("a", 50);
        index.set("b", 20);
        index.set("b", 20);
        index.remove("b");
        index.remove("never-set");
        assertThat(index.pollDue(49)).isEmpty();
        assertThat(index.pollDue(50)).containsExactly("a");
        assertThat(index.size()).isZero();
    }
}

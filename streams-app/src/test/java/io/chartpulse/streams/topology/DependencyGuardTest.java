package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.serde.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DependencyGuardTest {

    private static RegistryUnavailableException down() {
        return new RegistryUnavailableException("Schema registry unavailable at [http://127.0.0.1:1]", null);
    }

    @Test
    void anOutageIsWaitedOutAndTheCallSucceedsOnceTheDependencyAnswers() {
        DependencyGuard guard = new DependencyGuard(Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMillis(5));
        AtomicInteger attempts = new AtomicInteger();
        String value = guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> {
            if (attempts.incrementAndGet() < 4) {
                // as the serializers wrap it: the outage is found anywhere in the cause chain
                throw new IllegalStateException("encoding failed", down());
            }
            assertThat(guard.stalls()).containsKey(Thread.currentThread().getName());
            return "decoded";
        });
        assertThat(value).isEqualTo("decoded");
        assertThat(attempts).hasValue(4);
        assertThat(guard.stallCount()).isEqualTo(1);
        assertThat(guard.stalls()).isEmpty();
    }

    @Test
    void badDataPassesThroughAtOnceWithoutAStall() {
        DependencyGuard guard = new DependencyGuard(Duration.ofSeconds(10));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> {
                    attempts.incrementAndGet();
                    throw new SerializationException("Unknown magic byte 0x7b");
                }))
                .isInstanceOf(SerializationException.class);
        assertThat(attempts).hasValue(1);
        assertThat(guard.stallCount()).isZero();
    }

    @Test
    void pastTheStallLimitTheCallGivesUpAsAnOutageNamingTheDependency() {
        DependencyGuard guard =
                new DependencyGuard(Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(50));
        long start = System.nanoTime();
        assertThatThrownBy(() -> guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> {
                    throw down();
                }))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("schema-registry unavailable for")
                .hasMessageContaining("127.0.0.1:1")
                .satisfies(e -> assertThat(DependencyGuard.isOutage(e)).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertThat(guard.stalls()).isEmpty();
    }

    @Test
    void closingWakesAWaitingThreadAtOnce() throws Exception {
        DependencyGuard guard =
                new DependencyGuard(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(30));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> {
                    throw down();
                });
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        waiting.start();
        while (guard.stalls().isEmpty()) {
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        guard.close();
        waiting.join(5_000);
        assertThat(waiting.isAlive()).isFalse();
        assertThat(thrown.get())
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("shutting down");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}

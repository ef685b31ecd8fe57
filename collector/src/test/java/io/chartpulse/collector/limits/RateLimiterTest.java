package io.chartpulse.collector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsTheBurstThenAsksToWaitPerClient() {
        RateLimiter limiter = new RateLimiter(10, 20);
        assertThat(limiter.tryAcquire("a", 20)).isZero();
        assertThat(limiter.tryAcquire("a", 10)).isEqualTo(1);
        assertThat(limiter.tryAcquire("b", 20)).isZero();
    }

    @Test
    void refillsOverTime() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(100, 10);
        assertThat(limiter.tryAcquire("a", 10)).isZero();
        assertThat(limiter.tryAcquire("a", 5)).isPositive();
        Thread.sleep(120);
        assertThat(limiter.tryAcquire("a", 5)).isZero();
    }

    @Test
    void aBatchLargerThanTheBucketPassesWhenTheBucketIsFull() {
        RateLimiter limiter = new RateLimiter(1, 5);
        assertThat(limiter.tryAcquire("a", 50)).isZero();
        assertThat(limiter.tryAcquire("a", 50)).isEqualTo(5);
    }

    @Test
    void zeroRateDisablesLimiting() {
        RateLimiter limiter = new RateLimiter(0, 1);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("a", 1000)).isZero();
        }
        assertThat(limiter.size()).isZero();
    }

    @Test
    void sweepDropsOnlyIdleFullBuckets() {
        RateLimiter limiter = new RateLimiter(1, 5);
        limiter.tryAcquire("busy", 5);
        limiter.sweep();
        assertThat(limiter.size()).isEqualTo(1);
    }
}

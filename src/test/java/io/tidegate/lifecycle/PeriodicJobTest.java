package io.tidegate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidegate.Poll;
import org.junit.jupiter.api.Test;

class PeriodicJobTest {
    private static final Duration LONG = Duration.ofHours(1);

    @Test
    void runsAgainAfterEachPeriodOnAThreadNamedForTheJob() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        String[] thread = new String[1];
        PeriodicJob job = PeriodicJob.every("test-job", Duration.ZERO, Duration.ofMillis(10),
                () -> {
                    thread[0] = Thread.currentThread().getName();
                    runs.incrementAndGet();
                });
        job.start();
        try {
            Poll.until("three runs", () -> runs.get() >= 3);
        } finally {
            job.stop();
        }
        assertThat(thread[0]).isEqualTo("test-job");
    }

    @Test
    void aRunThatThrowsDoesNotEndTheSchedule() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("failing", Duration.ZERO, Duration.ofMillis(10), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("store unavailable");
        });
        job.start();
        try {
            Poll.until("a run after a failed one", () -> runs.get() >= 2);
        } finally {
            job.stop();
        }
    }

    @Test
    void wakeRunsTheJobNowInsteadOfAfterTheWaitItAskedFor() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("sleepy", Duration.ZERO, LONG, () -> {
            runs.incrementAndGet();
            return LONG;
        });
        job.start();
        try {
            Poll.until("the first run", () -> runs.get() == 1);
            job.wake();
            Poll.until("the woken run", () -> runs.get() == 2);
        } finally {
            job.stop();
        }
    }

    @Test
    void stopWaitsForTheRunInHandAndStartsNoOther() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        PeriodicJob job = PeriodicJob.every("slow", Duration.ZERO, Duration.ZERO, () -> {
            running.countDown();
            sleep(200);
            finished.incrementAndGet();
        });
        job.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        job.stop();

        int atStop = finished.get();
        assertThat(atStop).isPositive();
        sleep(300);
        assertThat(finished.get()).isEqualTo(atStop);
    }

    @Test
    void stopDoesNotWaitForARunThatIsOnlyScheduled() {
        AtomicInteger runs = new AtomicInteger();
        PeriodicJob job = PeriodicJob.every("later", LONG, LONG, runs::incrementAndGet);
        job.start();
        long began = System.nanoTime();

        job.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        assertThat(runs.get()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

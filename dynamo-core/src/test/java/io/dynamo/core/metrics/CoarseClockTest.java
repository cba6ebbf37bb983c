package io.dynamo.core.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 20 s for: " + what);
            Thread.sleep(10);
        }
    }

    private static boolean threadRuns(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void wallTimeFollowsTheSystemClockAndTheTickerStopsOnClose() throws InterruptedException {
        long before = System.currentTimeMillis();
        CoarseClock clock = new CoarseClock("clock-node");
        try {
            assertTrue(clock.wallTime() >= before, "starts at the system's wall time");
            long first = clock.wallTime();
            awaitTrue(() -> clock.wallTime() > first, "the wall time to advance");
            assertTrue(clock.wallTime() <= System.currentTimeMillis(), "never ahead of the system clock");
            long start = clock.monotonicTime();
            awaitTrue(() -> clock.monotonicTime() > start, "the monotonic time to advance");
            assertTrue(threadRuns("metrics-clock-clock-node"));
        } finally {
            clock.close();
        }
        awaitTrue(() -> !threadRuns("metrics-clock-clock-node"), "the ticker thread to end after close");
    }
}

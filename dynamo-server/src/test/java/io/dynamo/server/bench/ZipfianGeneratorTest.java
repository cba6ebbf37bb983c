package io.dynamo.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianGeneratorTest {
    private static final int SAMPLES = 2_000_000;

    @Test
    void frequenciesFollowTheZipfianLaw() {
        ZipfianGenerator zipf = new ZipfianGenerator(1000, 0.99);
        long[] counts = sample(zipf, new SplittableRandom(42));

        // Items 0 and 1 are drawn exactly; the rest by Gray's approximation.
        assertEquals(zipf.probability(0), counts[0] / (double) SAMPLES, 0.002);
        assertEquals(zipf.probability(1), counts[1] / (double) SAMPLES, 0.002);
        for (int i = 2; i < 10; i++) {
            double expected = zipf.probability(i);
            double observed = counts[i] / (double) SAMPLES;
            assertEquals(expected, observed, expected * 0.25, "item " + i);
        }
        // The mass of the most popular tenth of the items.
        double expectedTop = 0;
        long observedTop = 0;
        for (int i = 0; i < 100; i++) {
            expectedTop += zipf.probability(i);
            observedTop += counts[i];
        }
        assertEquals(expectedTop, observedTop / (double) SAMPLES, 0.02);
    }

    @Test
    void popularityDecreasesWithRank() {
        long[] counts = sample(new ZipfianGenerator(1000, 0.99), new SplittableRandom(7));
        for (int i = 0; i < 5; i++) {
            assertTrue(counts[i] > counts[i + 1], "item " + i + " drawn " + counts[i] + " times, item " + (i + 1) + " " + counts[i + 1]);
        }
        assertTrue(counts[0] > 10 * counts[999]);
    }

    @Test
    void everyDrawIsInRangeEvenForOneOrTwoItems() {
        SplittableRandom random = new SplittableRandom(1);
        for (long items : new long[] {1, 2, 3, 17}) {
            ZipfianGenerator zipf = new ZipfianGenerator(items, 0.99);
            for (int i = 0; i < 100_000; i++) {
                long item = zipf.next(random);
                assertTrue(item >= 0 && item < items, item + " outside [0, " + items + ")");
            }
        }
    }

    @Test
    void theSameSeedReplaysTheSameSequence() {
        ZipfianGenerator zipf = new ZipfianGenerator(10_000, 0.99);
        SplittableRandom first = new SplittableRandom(99);
        SplittableRandom second = new SplittableRandom(99);
        for (int i = 0; i < 1000; i++) {
            assertEquals(zipf.next(first), zipf.next(second));
        }
    }

    @Test
    void refusesBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(0, 0.99));
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(10, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(10, 0));
    }

    private static long[] sample(ZipfianGenerator zipf, SplittableRandom random) {
        long[] counts = new long[(int) zipf.items()];
        for (int i = 0; i < SAMPLES; i++) {
            counts[(int) zipf.next(random)]++;
        }
        return counts;
    }
}

package io.dynamo.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScrambledZipfianGeneratorTest {
    private static final int ITEMS = 10_000;
    private static final int SAMPLES = 2_000_000;

    @Test
    void theHottestRecordGetsTheShareOfTheFirstZipfianItem() {
        long[] counts = sample(new ScrambledZipfianGenerator(ITEMS), new SplittableRandom(3));
        long hottest = Arrays.stream(counts).max().orElseThrow();
        // 1 / zeta(10^10, 0.99), plus the little that other space items hashing to it add.
        double share = hottest / (double) SAMPLES;
        assertEquals(1 / 26.469, share, 0.004);
    }

    @Test
    void popularRecordsAreSpreadOverTheKeyRange() {
        long[] counts = sample(new ScrambledZipfianGenerator(ITEMS), new SplittableRandom(5));
        int[] hottest = IntStream.range(0, ITEMS)
                .boxed()
                .sorted((a, b) -> Long.compare(counts[b], counts[a]))
                .limit(20)
                .mapToInt(Integer::intValue)
                .toArray();
        long inFirstHundred = Arrays.stream(hottest).filter(i -> i < 100).count();
        assertTrue(inFirstHundred < 5, "hot records bunched at the start: " + Arrays.toString(hottest));
        long inUpperHalf = Arrays.stream(hottest).filter(i -> i >= ITEMS / 2).count();
        assertTrue(inUpperHalf >= 4 && inUpperHalf <= 16, "hot records not spread: " + Arrays.toString(hottest));
    }

    @Test
    void theDistributionIsSkewed() {
        long[] counts = sample(new ScrambledZipfianGenerator(ITEMS), new SplittableRandom(11));
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        long topTenth = 0;
        for (int i = ITEMS - ITEMS / 10; i < ITEMS; i++) {
            topTenth += sorted[i];
        }
        // Uniform: about 10%. Here the 1000 most popular items of the space alone carry
        // zeta(1000) / zeta(10^10) = 7.1 / 26.5 = 27%, and the long tail spreads over all records.
        assertTrue(topTenth > SAMPLES * 0.3, "top 10% of records got " + topTenth + " of " + SAMPLES);
    }

    @Test
    void drawsStayInRangeAndReplayFromTheSeed() {
        ScrambledZipfianGenerator keys = new ScrambledZipfianGenerator(37);
        SplittableRandom first = new SplittableRandom(8);
        SplittableRandom second = new SplittableRandom(8);
        for (int i = 0; i < 100_000; i++) {
            long a = keys.next(first);
            assertTrue(a >= 0 && a < 37);
            assertEquals(a, keys.next(second));
        }
    }

    @Test
    void fnvHashMixesNeighbours() {
        assertNotEquals(ScrambledZipfianGenerator.fnv1a(0) % 1000, ScrambledZipfianGenerator.fnv1a(1) % 1000);
        // FNV-1a of eight zero bytes, a fixed point of the algorithm's definition.
        long expected = 0xcbf29ce484222325L;
        for (int i = 0; i < 8; i++) {
            expected *= 0x100000001b3L;
        }
        assertEquals(expected, ScrambledZipfianGenerator.fnv1a(0));
    }

    private static long[] sample(ScrambledZipfianGenerator keys, SplittableRandom random) {
        long[] counts = new long[(int) keys.items()];
        for (int i = 0; i < SAMPLES; i++) {
            counts[(int) keys.next(random)]++;
        }
        return counts;
    }
}

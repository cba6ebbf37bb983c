package io.dynamo.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ZetaTest {
    @Test
    void smallSumsAreExact() {
        assertEquals(1.0, Zeta.of(1, 0.99), 0);
        assertEquals(1 + Math.pow(2, -0.5) + Math.pow(3, -0.5), Zeta.of(3, 0.5), 1e-15);
    }

    @Test
    void eulerMaclaurinTailMatchesDirectSummation() {
        long n = 3_000_000;
        double direct = 0;
        for (long i = n; i >= 1; i--) {
            direct += Math.pow(i, -0.99);
        }
        assertEquals(direct, Zeta.of(n, 0.99), 1e-9);
    }

    @Test
    void tailOfAShortRangeMatchesItsTerms() {
        // i = 1001..1010 summed by hand versus the formula started at m = 1000.
        double direct = 0;
        for (long i = 1001; i <= 1010; i++) {
            direct += Math.pow(i, -0.7);
        }
        assertEquals(direct, Zeta.tail(1000, 1010, 0.7), 1e-12);
    }

    @Test
    void tenBillionItemsAtYcsbSkew() {
        // zeta(10^10, 0.99) is about 26.469: zeta(0.99) = -99.42 plus (10^10)^0.01 / 0.01 = 125.89.
        assertEquals(26.469, Zeta.of(ScrambledZipfianGenerator.SPACE, 0.99), 1e-3);
    }
}

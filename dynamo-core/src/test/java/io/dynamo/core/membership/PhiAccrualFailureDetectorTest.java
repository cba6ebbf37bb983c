package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Phi accrual on a hand-driven clock: gossip every second, threshold 8. */
class PhiAccrualFailureDetectorTest {
    private long now = 1_000_000;
    private final PhiAccrualFailureDetector detector =
            new PhiAccrualFailureDetector(() -> now, 8, 100, Duration.ofSeconds(1));

    @Test
    void aPeerIsSuspectedAfterThresholdTimesLnTenMeanIntervalsOfSilence() {
        for (int i = 0; i < 10; i++) {
            detector.heartbeat("b");
            now += 1000;
        }
        now += 17_000; // 18 s since the last heartbeat: phi = 0.434 × 18 = 7.8
        assertTrue(detector.isAvailable("b"));
        now += 1_000; // 19 s: phi = 8.25
        assertFalse(detector.isAvailable("b"));
        assertEquals(Set.of("b"), detector.suspects());
        detector.heartbeat("b");
        assertTrue(detector.isAvailable("b"));
    }

    @Test
    void aBurstOfStateChangesDoesNotMakeOrdinarySilenceSuspicious() {
        // a start or a partition move: the peer's state changes many times within milliseconds
        for (int i = 0; i < 20; i++) {
            detector.heartbeat("b");
            now += 2;
        }
        now += 900; // less than one gossip interval of silence
        assertTrue(detector.isAvailable("b"), "phi " + detector.phi("b"));
        assertEquals(1000, detector.meanIntervalMillis("b"));
    }

    @Test
    void aFailedRequestSuspectsThePeerUntilARequestSucceedsOrAHeartbeatArrives() {
        detector.heartbeat("b");
        detector.reportFailure("b");
        assertFalse(detector.isAvailable("b"));
        detector.reportSuccess("b");
        assertTrue(detector.isAvailable("b"));
        detector.reportFailure("b");
        detector.heartbeat("b");
        assertTrue(detector.isAvailable("b"));
        assertTrue(detector.isAvailable("never-heard-of"));
    }
}

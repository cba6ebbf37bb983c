package io.dynamo.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResolverStudyTest {
    private static final long SEED = 42;
    private static final int OPERATIONS = 400;

    @Test
    void theSameSeedGivesTheSameTable() {
        assertEquals(new ResolverStudy(SEED, OPERATIONS).runAll(), new ResolverStudy(SEED, OPERATIONS).runAll());
    }

    @Test
    void causalStrategiesLoseNoAcknowledgedAddWhileLastWriterWinsDoes() {
        Map<String, StudyResult> results = new ResolverStudy(SEED, OPERATIONS).runAll().stream()
                .collect(Collectors.toMap(StudyResult::strategy, Function.identity()));
        StudyResult vectorClock = results.get("vector-clock");
        StudyResult union = results.get("set-union");
        StudyResult lww = results.get("lww");
        String table = results.values().stream().map(StudyResult::row).collect(Collectors.joining("\n"));

        for (StudyResult r : List.of(vectorClock, union, lww)) {
            assertTrue(r.addsAcknowledged() > 50, table);
        }
        assertEquals(0, vectorClock.lostAdds(), table);
        assertEquals(0, union.lostAdds(), table);
        assertTrue(lww.lostAdds() > 0, table);
        // Only the vector-clock resolver shows siblings to clients; the others resolve them away.
        assertTrue(vectorClock.readsWithSiblings() > 0, table);
        assertEquals(0, lww.readsWithSiblings(), table);
        assertEquals(0, union.readsWithSiblings(), table);
    }
}

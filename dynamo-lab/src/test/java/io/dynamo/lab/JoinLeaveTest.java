package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A node joins and another leaves mid-run on a gossip cluster; nothing acknowledged is lost and the replicas converge. */
class JoinLeaveTest {
    @Test
    void nodesJoinAndLeaveMidRun() {
        ExperimentFile file = ExperimentFile.parse("""
                nodes = 4
                membership = gossip
                strategies = vector-clock
                workload = register
                clients = 4
                keys = 6
                operations = 400
                fault.a = at 20% join node-5
                fault.b = at 50% leave node-2
                """, Optional.of(5L));
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            List<RunResult> results = lab.run(file, Progress.SILENT);
            RunResult r = results.get(0);
            assertTrue(r.measure("updates_acknowledged") > 50, r.measures().toString());
            assertEquals(0, r.measure("updates_lost"), r.measures().toString());
            assertFalse(Double.isNaN(r.measure("convergence_ms")), r.measures().toString());
        }
    }

    @Test
    void joinAndLeaveNeedGossip() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(LabException.class,
                () -> ExperimentFile.parse("fault.a = at 20% join node-9", Optional.empty())).getMessage();
        assertEquals("join node-9 needs membership = gossip", message);
    }
}

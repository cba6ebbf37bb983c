package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Writes without a context (blind writes) never replace a version they did not see. */
class BlindWritesTest {
    @Test
    void twoBlindWritesFromSeparateClientsBecomeSiblings() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(31).build()) {
            Bytes key = Bytes.utf8("greeting");
            cluster.client("first").put(key, Bytes.utf8("hello"), Context.EMPTY);
            cluster.client("second").put(key, Bytes.utf8("bonjour"), Context.EMPTY);

            assertEquals(Set.of(Bytes.utf8("hello"), Bytes.utf8("bonjour")),
                    Set.copyOf(cluster.client("reader").get(key).values()));
        }
    }

    @Test
    void blindWritesThroughEveryNodeAllSurvive() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(5).seed(32).build()) {
            Bytes key = Bytes.utf8("counter");
            for (String id : cluster.nodeIds()) {
                DynamoStore node = cluster.store(id);
                node.put(key, Bytes.utf8("from " + id), Context.EMPTY);
                node.put(key, Bytes.utf8("again from " + id), Context.EMPTY);
            }
            assertEquals(10, Set.copyOf(cluster.client("reader").get(key).values()).size());
        }
    }
}

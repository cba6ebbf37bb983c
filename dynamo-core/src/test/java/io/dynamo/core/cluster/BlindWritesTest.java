package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.spi.causality.CausalityScheme;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writes without a context (blind writes) never replace a version they did not see. */
class BlindWritesTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void twoBlindWritesFromSeparateClientsBecomeSiblings(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(31).build()) {
            Bytes key = Bytes.utf8("greeting");
            cluster.client("first").put(key, Bytes.utf8("hello"), Context.EMPTY);
            cluster.client("second").put(key, Bytes.utf8("bonjour"), Context.EMPTY);

            assertEquals(Set.of(Bytes.utf8("hello"), Bytes.utf8("bonjour")),
                    Set.copyOf(cluster.client("reader").get(key).values()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void blindWritesThroughEveryNodeAllSurvive(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(32).build()) {
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

package io.dynamo.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.spi.ConfigException;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class NodeConfigProperties {
    @Property(seed = "20071014")
    void partitionsAreAcceptedExactlyWhenAPowerOfTwoUpToTheLimit(@ForAll int partitions) {
        Map<String, String> values = Map.of("node.id", "n1", "cluster.partitions", Integer.toString(partitions));
        boolean valid = partitions >= 1 && partitions <= NodeConfig.MAX_PARTITIONS && Integer.bitCount(partitions) == 1;

        if (valid) {
            assertEquals(partitions, NodeConfig.of(values).partitions());
        } else {
            assertEquals("cluster.partitions", assertThrows(ConfigException.class, () -> NodeConfig.of(values)).key());
        }
    }

    @Property(seed = "20071014")
    void quorumsAreAcceptedExactlyWhenWithinN(@ForAll @IntRange(min = -1, max = 6) int n,
            @ForAll @IntRange(min = -1, max = 6) int r, @ForAll @IntRange(min = -1, max = 6) int w) {
        Map<String, String> values = Map.of(
                "node.id", "n1",
                "cluster.members", "n1@127.0.0.1:7001,n2@127.0.0.1:7002,n3@127.0.0.1:7003,n4@127.0.0.1:7004,n5@127.0.0.1:7005",
                "replication.n", Integer.toString(n),
                "replication.r", Integer.toString(r),
                "replication.w", Integer.toString(w));

        if (n < 1 || n > 5) {
            assertEquals("replication.n", assertThrows(ConfigException.class, () -> NodeConfig.of(values)).key());
        } else if (r < 1 || r > n) {
            assertEquals("replication.r", assertThrows(ConfigException.class, () -> NodeConfig.of(values)).key());
        } else if (w < 1 || w > n) {
            assertEquals("replication.w", assertThrows(ConfigException.class, () -> NodeConfig.of(values)).key());
        } else {
            ReplicationConfig replication = NodeConfig.of(values).replication();
            assertEquals(n, replication.replicas());
            assertEquals(r, replication.readQuorum());
            assertEquals(w, replication.writeQuorum());
        }
    }
}

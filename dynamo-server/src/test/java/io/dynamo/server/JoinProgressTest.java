package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.node.DynamoNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@code dynamo join} shows on its console while its node receives its partitions: plain lines without a terminal. */
class JoinProgressTest {
    @Test
    void aJoiningNodeShowsThePartitionsItReceivedUntilItIsAMember() throws Exception {
        MembershipSettings settings = MembershipSettings.DEFAULT.withGossipInterval(Duration.ofMillis(200))
                .withSettleDelay(Duration.ofMillis(500));
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).partitions(16).realTime().gossip(settings, 1)
                .build()) {
            for (int i = 0; i < 50; i++) {
                cluster.store("node-1").put(Bytes.utf8("key-" + i), Bytes.utf8("v"), Context.EMPTY);
            }
            DynamoNode joining = cluster.join("node-4");
            StringWriter text = new StringWriter();
            Thread watcher = JoinProgress.watch(joining, new PrintWriter(text, true), Duration.ofMillis(50));
            watcher.join(Duration.ofSeconds(120).toMillis());
            assertFalse(watcher.isAlive(), "still joining after 120 s:\n" + text);
            String out = text.toString();
            assertTrue(out.lines().anyMatch(l -> l.matches("join: (\\d+)/\\1 partitions \\(100%\\), \\d+ keys received")), out);
            assertTrue(out.lines().reduce((a, b) -> b).orElse("").startsWith("joined: a member in ring version "), out);
            assertTrue(out.indexOf('\r') < 0 && out.indexOf('\u001b') < 0, out);
        }
    }
}

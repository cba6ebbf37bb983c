package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo replace DEAD --with NEW}: asks a member to give every partition of DEAD, a node
 * that is down and whose disk is gone, to NEW, a standby node ({@code dynamo join --standby}),
 * which streams them from their other replicas. Returns once the change is under way.
 */
@Command(name = "replace", mixinStandardHelpOptions = true,
        description = {"Give every partition of DEAD, a node that is down and whose data is gone, to NEW: a node started"
                + " with `dynamo join --seed HOST:PORT --standby` that waits outside the ring. NEW streams the"
                + " partitions from their other replicas; no other node's partitions change.",
                "Refused while the cluster's failure detector sees DEAD up, for a NEW that is not a standby known by"
                        + " gossip, or while another membership change is in progress. Returns once the move has"
                        + " started; follow it with `dynamo status`."})
final class ReplaceCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEAD", description = "The id of the node to replace.")
    String dead;

    @Option(names = "--with", required = true, paramLabel = "NEW", description = "The id of the standby node that takes its place.")
    String replacement;

    @Mixin RingChangeOptions change;

    ReplaceCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        return change.run(opener, spec.commandLine().getOut(), "replacing " + dead + " with " + replacement + ": " + replacement
                        + " streams its partitions from their other replicas (see `dynamo status`)",
                (client, via, timeout) -> client.replaceNode(via, dead, replacement, timeout));
    }
}

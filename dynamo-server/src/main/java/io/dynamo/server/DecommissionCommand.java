package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo decommission NODE}: asks a member to start moving {@code NODE}'s partitions to
 * the remaining members. Returns once the change is under way; {@code dynamo status} shows it.
 */
@Command(name = "decommission", mixinStandardHelpOptions = true,
        description = {"Move a node's partitions to the remaining members, after which it is out of the ring (state"
                + " 'left') and may be stopped.",
                "Returns once the move has started; follow it with `dynamo status`. Fails while another membership"
                        + " change is in progress."})
final class DecommissionCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The id of the node to decommission.")
    String node;

    @Mixin RingChangeOptions change;

    DecommissionCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        return change.run(opener, spec.commandLine().getOut(),
                "decommissioning " + node + ": its partitions are moving (see `dynamo status`)",
                (client, via, timeout) -> client.decommission(via, node, timeout));
    }
}

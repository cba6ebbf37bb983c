package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo remove --force NODE}: asks a member to take a node that is down and will never
 * return out of the ring; its partitions go to the remaining members, streamed from their
 * surviving replicas. Returns once the change is under way; {@code dynamo status} shows it.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Take a node that is down and will never return out of the ring (--force is required): its"
                + " partitions go to the remaining members, which stream them from the surviving replicas.",
                "Refused while the cluster's failure detector sees NODE up (decommission a live node instead) or"
                        + " another membership change is in progress. Returns once the move has started; follow it"
                        + " with `dynamo status`."})
final class RemoveCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The id of the node to remove.")
    String node;

    @Option(names = "--force", description = "Confirms that NODE is gone for good and its data is lost with it.")
    boolean force;

    @Mixin RingChangeOptions change;

    RemoveCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!force) {
            throw new ParameterException(spec.commandLine(), "remove is for a node that will never return: add --force"
                    + " (a node that runs hands its data over with: dynamo decommission " + node + ")");
        }
        return change.run(opener, spec.commandLine().getOut(), "removing " + node + ": its partitions stream from their surviving replicas to their new owners"
                        + " (see `dynamo status`)",
                (client, via, timeout) -> client.removeNode(via, node, timeout));
    }
}

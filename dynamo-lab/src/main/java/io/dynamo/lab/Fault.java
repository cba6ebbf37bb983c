package io.dynamo.lab;

import io.dynamo.core.transport.local.Faults;
import java.time.Duration;
import java.util.List;

/** One thing that goes wrong in a run; {@link ScheduledFault} says when it starts and ends. */
public sealed interface Fault {
    /** The names an experiment file may use, for error messages. */
    List<String> NAMES = List.of("partition", "one-way", "crash", "crash-wipe", "pause", "skew", "network", "join",
            "leave");

    /** Symmetric partition into groups; {@code rest} in the file is every node not named. Clients are dealt to the groups in turn. */
    record Partition(List<List<String>> groups) implements Fault {
        /** The group name standing for every node no other group names. */
        public static final String REST = "rest";

        public Partition {
            groups = groups.stream().map(List::copyOf).toList();
            if (groups.size() < 2) {
                throw new LabException("a partition needs at least two groups: " + groups);
            }
        }

        /** The groups over {@code nodes}, {@code rest} replaced by the nodes not named. */
        public List<List<String>> resolve(List<String> nodes) {
            java.util.Set<String> named = new java.util.HashSet<>();
            groups.forEach(named::addAll);
            List<String> rest = nodes.stream().filter(node -> !named.contains(node)).toList();
            return groups.stream().map(g -> g.stream().flatMap(n -> n.equals(REST) ? rest.stream()
                    : java.util.stream.Stream.of(n)).toList()).toList();
        }
    }

    /** Messages from {@code from} to {@code to} are lost; the other way works. */
    record OneWay(List<String> from, List<String> to) implements Fault {
        public OneWay {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }
    }

    /** The node's process dies (and, with {@code wipe}, its disk); it restarts when the fault ends. */
    record Crash(String node, boolean wipe) implements Fault {}

    /** The node freezes for {@code length} (longer than the request timeout to matter), then goes on. */
    record Pause(String node, Duration length) implements Fault {}

    /** The node's wall clock, and so the timestamps of writes it coordinates, is off by {@code skew}. */
    record Skew(String node, Duration skew) implements Fault {}

    /** A new node joins the ring and receives its partitions (needs gossip membership). */
    record Join(String node) implements Fault {}

    /** A node is decommissioned: its partitions move to the others and it leaves (needs gossip membership). */
    record Leave(String node) implements Fault {}

    /** The network mistreats messages differently for a while. */
    record Network(Faults faults) implements Fault {}
}

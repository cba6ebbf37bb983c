package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.StoreSettingsSyntax;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo store create|list|describe|drop}: the stores of a running cluster. Each asks one
 * node ({@code --node}, default the first of {@code --nodes}); a create or drop made there
 * reaches every node by gossip within a few rounds.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Create, list, describe or drop the stores of a running cluster. The 'default' store is every"
                + " node's own (its config); stores created here spread to every node by gossip, without a restart."})
final class StoreCommands implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: create, list, describe or drop");
    }

    /** What every store verb takes: the node to ask, how long to wait, and how to reach the cluster. */
    static final class Target {
        @Option(names = "--node", paramLabel = "HOST:PORT", description = "The node to ask (default: the first of --nodes).")
        String node;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
                description = "How long to wait for the node's answer (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Mixin ClusterOptions cluster;

        Endpoint endpoint() {
            return node == null ? cluster.endpoints().get(0) : Addresses.parse("--node", List.of(node)).get(0);
        }

        /** The client transport's settings, with {@code --set}'s {@code tcp.*} keys only: create takes the others for the store. */
        PluginConfig transportConfigBesideStoreSettings() {
            Map<String, String> transport = new LinkedHashMap<>();
            cluster.transportSettings.forEach((key, value) -> {
                if (key.startsWith(Connections.TRANSPORT + ".")) {
                    transport.put(key, value);
                }
            });
            return ClientTransportSettings.of(ClusterOptions.configFile(cluster.config, cluster.nodes,
                    cluster.clusterDirectory), transport);
        }

        /** The keys of {@code --set} that are no transport setting. */
        Map<String, String> storeSettings() {
            Map<String, String> settings = new LinkedHashMap<>();
            cluster.transportSettings.forEach((key, value) -> {
                if (!key.startsWith(Connections.TRANSPORT + ".")) {
                    settings.put(key, value.trim());
                }
            });
            return settings;
        }

        /** A client of the node; every {@code --set} key must be a transport setting. */
        DynamoClient open(StoreOpener opener) {
            return opener.open(List.of(endpoint()), timeout, cluster.transportConfig());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create store NAME with the settings given by --set KEY=VALUE (keys: n, r, w, timeout, resolver,"
                    + " storage, causality, sibling-warn, max-siblings, max-value-size, max-clock-entries, pr, pw, sync,"
                    + " sync-interval); a key left out"
                    + " takes the node's default. An admin request; it reaches every node by gossip.",
                    "Fails, naming the key, on a bad setting; fails when a store NAME exists (drop it first)."})
    static final class Create implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The store's name: a-z, 0-9, '_' and '-', at most 63.")
        String name;

        @Mixin Target target;

        Create(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            Map<String, String> settings = target.storeSettings();
            Endpoint node = target.endpoint();
            try (DynamoClient client = opener.open(List.of(node), target.timeout,
                    target.transportConfigBesideStoreSettings())) {
                client.createStore(node, name, settings, target.timeout);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("created store %s (%s) through %s; it reaches every node by gossip%n", name,
                    settings.isEmpty() ? "the node defaults" : text(new java.util.TreeMap<>(settings)), node);
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the stores the node knows: 'default' first, then the created ones by name, with their settings.")
    static final class ListStores implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;

        @Option(names = "--all", description = "Also list the dropped stores (kept as tombstones).")
        boolean all;

        @Mixin Target target;

        ListStores(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            List<CatalogEntry> stores;
            try (DynamoClient client = target.open(opener)) {
                stores = client.stores(target.endpoint(), target.timeout);
            }
            PrintWriter out = spec.commandLine().getOut();
            String format = "%-20s %-8s %-8s %-16s %s%n";
            out.printf(format, "name", "state", "version", "origin", "settings");
            int shown = 0;
            for (CatalogEntry store : stores) {
                if (store.dropped() && !all) {
                    continue;
                }
                shown++;
                out.printf(format, store.name(), store.dropped() ? "dropped" : "live",
                        store.version() == 0 ? "config" : Long.toString(store.version()), store.origin(), text(store.settings()));
            }
            out.printf("%d store%s known to %s%n", shown, shown == 1 ? "" : "s", target.endpoint());
            out.flush();
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Show one store as the node knows it: its state, version, the node that made it, every setting.")
    static final class Describe implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The store's name.")
        String name;

        @Mixin Target target;

        Describe(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            List<CatalogEntry> stores;
            try (DynamoClient client = target.open(opener)) {
                stores = client.stores(target.endpoint(), target.timeout);
            }
            CatalogEntry store = stores.stream().filter(entry -> entry.name().equals(name)).findFirst()
                    .orElseThrow(() -> new io.dynamo.api.InvalidArgumentException("no store " + name + " on "
                            + target.endpoint() + "; stores: " + stores.stream().filter(entry -> !entry.dropped())
                                    .map(CatalogEntry::name).toList()));
            PrintWriter out = spec.commandLine().getOut();
            String format = "%-18s %s%n";
            out.printf(format, "store", store.name());
            out.printf(format, "state", store.dropped() ? "dropped" : "live");
            out.printf(format, "version", store.version() == 0 ? "- (from the node config)" : store.version());
            out.printf(format, "origin", store.origin());
            if (!store.dropped()) {
                for (String key : StoreSettingsSyntax.KEYS) {
                    String value = store.settings().get(key);
                    out.printf(format, key, value == null ? "(node default)" : value);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = {"Drop store NAME: every node deletes its data. An admin request; it reaches every node by gossip.",
                    "Refuses without --yes. The 'default' store cannot be dropped."})
    static final class Drop implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The store's name.")
        String name;

        @Option(names = "--yes", description = "Confirm: the store's data is deleted on every node.")
        boolean yes;

        @Mixin Target target;

        Drop(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            if (!yes) {
                throw new ParameterException(spec.commandLine(), "dropping store " + name + " deletes its data on every"
                        + " node; add --yes to do it");
            }
            Endpoint node = target.endpoint();
            try (DynamoClient client = target.open(opener)) {
                client.dropStore(node, name, target.timeout);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("dropped store %s through %s; every node deletes its data as gossip reaches it%n", name, node);
            out.flush();
            return 0;
        }
    }

    private static String text(Map<String, String> settings) {
        return settings.isEmpty() ? "-" : settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}

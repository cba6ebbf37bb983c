package io.dynamo.core.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.metrics.MetricsSettings;
import io.dynamo.core.node.NodeSettings;
import io.dynamo.core.node.ReplicationModule;
import io.dynamo.core.storage.SyncSettings;
import io.dynamo.core.store.StoreDefinition;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configuration of one node, validated and immutable.
 *
 * <p>Read from a {@link Properties} file and/or a map of overrides (command-line flags); an
 * override replaces the file's value for the same key. Keys and values are trimmed.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code node.id}</td><td>required</td><td>this node's id, unique in the cluster:
 *       letters, digits, {@code . _ -}, at most 64 characters, starting with a letter or digit</td></tr>
 *   <tr><td>{@code node.listen}</td><td>this node's address in {@code cluster.members}, else
 *       {@code 127.0.0.1:7000}</td><td>{@code host:port} the transport binds to</td></tr>
 *   <tr><td>{@code node.data-dir}</td><td>{@code data/<node.id>}</td><td>where plugins keep
 *       their files</td></tr>
 *   <tr><td>{@code node.plugins-dir}</td><td>{@code plugins}</td><td>the directory of plugin
 *       jars (a missing directory means no plugins beyond the class path)</td></tr>
 *   <tr><td>{@code cluster.members}</td><td>this node alone, at {@code node.listen}</td><td>
 *       comma-separated {@code id@host:port}; must include {@code node.id}; ids and addresses
 *       unique</td></tr>
 *   <tr><td>{@code cluster.partitions}</td><td>{@code 256}</td><td>Q, the fixed number of
 *       partitions of the token space: a power of two from the number of members up to
 *       65536; the same on every node, never changed for a cluster's life</td></tr>
 *   <tr><td>{@code partitioner}</td><td>{@code md5}</td><td>name of the partitioner</td></tr>
 *   <tr><td>{@code storage}</td><td>{@code chronicle}</td><td>name of the storage engine</td></tr>
 *   <tr><td>{@code transport}</td><td>{@code tcp}</td><td>name of the transport</td></tr>
 *   <tr><td>{@code resolver}</td><td>{@code vector-clock}</td><td>name of the conflict
 *       resolver</td></tr>
 *   <tr><td>{@code causality}</td><td>{@code vector-clock}</td><td>name of the causality
 *       scheme that stamps writes: {@code vector-clock} (writer slots) or {@code dvv} (dotted
 *       version vectors); the same on every node, and recorded in the data directory</td></tr>
 *   <tr><td>{@code replication.n}</td><td>3, or the number of members if fewer</td><td>N,
 *       replicas per key; at most the number of members</td></tr>
 *   <tr><td>{@code replication.r}</td><td>2, or N if smaller</td><td>R, 1 to N</td></tr>
 *   <tr><td>{@code replication.w}</td><td>2, or N if smaller</td><td>W, 1 to N</td></tr>
 *   <tr><td>{@code replication.timeout}</td><td>{@code 2s}</td><td>coordinator timeout
 *       ({@code 250ms}, {@code 5s}, {@code 1m}; a bare number is milliseconds)</td></tr>
 *   <tr><td>{@code replication.max-clock-entries}</td><td>{@code 50}</td><td>vector clock
 *       entries kept before the oldest are dropped</td></tr>
 *   <tr><td>{@code replication.read-fanout}</td><td>{@code quorum}</td><td>replicas a read
 *       asks: {@code quorum} (R, then one more per failure or speculative retry) or
 *       {@code all} (N); see {@link ReadFanout}</td></tr>
 *   <tr><td>{@code replication.speculative-retry}</td><td>{@code 10ms}</td><td>how long a
 *       {@code quorum} read waits before asking one more replica; {@code 0} never</td></tr>
 *   <tr><td>{@code store.NAME.KEY}</td><td>the default store's value</td><td>another store of the
 *       cluster, {@code NAME} matching {@code [a-z0-9][a-z0-9_-]{0,62}}, {@code KEY} one of
 *       {@link StoreDefinition#KEYS}; see {@link StoreDefinition}</td></tr>
 *   <tr><td>{@code replication.sync}</td><td>{@code none}</td><td>durable writes:
 *       {@code none}, {@code interval} or {@code always} (see
 *       {@link io.dynamo.core.storage.SyncPolicy}); {@code replication.sync-interval} (default
 *       {@code 1s}) is how often background syncs run</td></tr>
 *   <tr><td>{@code anti-entropy.*}</td><td></td><td>anti-entropy settings, read by
 *       {@code AntiEntropySettings.from}</td></tr>
 *   <tr><td>{@code <plugin-name>.<key>}</td><td></td><td>a plugin's own settings, handed to it
 *       as its {@link PluginConfig} (see {@link #section(String)})</td></tr>
 * </table>
 *
 * <p>Every invalid value throws {@link ConfigException} naming its key. Plugin names are
 * checked here only for their form; whether a plugin of that name exists is checked when the
 * plugins are wired.
 */
public final class NodeConfig {
    public static final String NODE_ID = "node.id";
    public static final String NODE_LISTEN = "node.listen";
    public static final String NODE_DATA_DIR = "node.data-dir";
    public static final String NODE_PLUGINS_DIR = "node.plugins-dir";
    public static final String CLUSTER_MEMBERS = "cluster.members";
    public static final String CLUSTER_PARTITIONS = "cluster.partitions";
    public static final String PARTITIONER = "partitioner";
    public static final String STORAGE = "storage";
    public static final String TRANSPORT = "transport";
    public static final String RESOLVER = "resolver";
    public static final String CAUSALITY = "causality";
    public static final String REPLICATION_N = "replication.n";
    public static final String REPLICATION_R = "replication.r";
    public static final String REPLICATION_W = "replication.w";
    public static final String REPLICATION_TIMEOUT = "replication.timeout";
    public static final String REPLICATION_MAX_CLOCK_ENTRIES = "replication.max-clock-entries";
    public static final String REPLICATION_READ_FANOUT = "replication.read-fanout";
    public static final String REPLICATION_SPECULATIVE_RETRY = "replication.speculative-retry";
    public static final String REPLICATION_PR = "replication." + PrimaryQuorums.PR;
    public static final String REPLICATION_PW = "replication." + PrimaryQuorums.PW;
    /** True for a node that joins a running cluster through {@code membership.seeds}; see {@link #joining()}. */
    public static final String MEMBERSHIP_JOIN = "membership.join";

    /**
     * Namespaces the core reads itself; a plugin may not take one of these names, or its
     * {@link #section(String)} would be the core's settings.
     */
    public static final Set<String> RESERVED_NAMESPACES =
            Set.of("node", "cluster", "replication", "anti-entropy", "membership", MetricsSettings.NAMESPACE, PARTITIONER,
                    STORAGE, TRANSPORT, RESOLVER, CAUSALITY, StoreDefinition.NAMESPACE);

    /**
     * Every key the core reads in its own namespaces (the other classes that read them say so
     * in their constants). Any other key there is refused, so a misspelt setting is reported
     * instead of silently left at its default. Plugins' namespaces are theirs to check.
     */
    static final Set<String> CORE_KEYS = Set.of(
            NODE_ID, NODE_LISTEN, NODE_DATA_DIR, NODE_PLUGINS_DIR,
            CLUSTER_MEMBERS, CLUSTER_PARTITIONS,
            PARTITIONER, STORAGE, TRANSPORT, RESOLVER, CAUSALITY,
            REPLICATION_N, REPLICATION_R, REPLICATION_W, REPLICATION_TIMEOUT, REPLICATION_MAX_CLOCK_ENTRIES,
            REPLICATION_READ_FANOUT, REPLICATION_SPECULATIVE_RETRY, REPLICATION_PR, REPLICATION_PW,
            "replication." + RequestLimits.MAX_KEY_SIZE, "replication." + RequestLimits.MAX_VALUE_SIZE,
            "replication." + VersionLimits.SIBLING_WARN, "replication." + VersionLimits.MAX_SIBLINGS,
            "replication." + VersionLimits.MAX_CLOCK_SKEW,
            "replication." + NodeSettings.HANDOFF_INTERVAL,
            "replication." + SyncSettings.SYNC, "replication." + SyncSettings.SYNC_INTERVAL,
            MEMBERSHIP_JOIN, "membership." + ReplicationModule.SEEDS, "membership." + ReplicationModule.STANDBY,
            "membership." + MembershipSettings.GOSSIP_INTERVAL, "membership." + MembershipSettings.PHI_THRESHOLD,
            "membership." + MembershipSettings.PHI_WINDOW, "membership." + MembershipSettings.SETTLE_DELAY,
            "membership." + MembershipSettings.STREAM_BATCH_KEYS,
            "membership." + MembershipSettings.STREAM_MAX_BYTES_PER_SECOND, "membership." + MembershipSettings.TIMEOUT,
            antiEntropy(AntiEntropySettings.INTERVAL), antiEntropy(AntiEntropySettings.TREE_DEPTH),
            antiEntropy(AntiEntropySettings.MAX_BYTES_PER_SECOND), antiEntropy(AntiEntropySettings.MAX_KEYS_PER_MESSAGE),
            antiEntropy(AntiEntropySettings.MAX_DIGESTS_PER_MESSAGE),
            antiEntropy(AntiEntropySettings.MAX_NODES_PER_MESSAGE), antiEntropy(AntiEntropySettings.TIMEOUT),
            antiEntropy(AntiEntropySettings.COLLECT_TOMBSTONES),
            metrics(MetricsSettings.ENABLED), metrics(MetricsSettings.ADDRESS), metrics(MetricsSettings.PORT),
            metrics(MetricsSettings.JMX), metrics(MetricsSettings.JVM));

    public static final int DEFAULT_PARTITIONS = 256;
    /** The scheme of a node whose config names none: today's, so existing configs and data keep working. */
    public static final String DEFAULT_CAUSALITY = "vector-clock";
    public static final int MAX_PARTITIONS = 1 << 16;

    private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final SortedMap<String, String> values;
    private final String nodeId;
    private final Endpoint listen;
    private final Path dataDirectory;
    private final Path pluginsDirectory;
    private final List<ClusterMember> members;
    private final boolean joining;
    private final int partitions;
    private final String partitioner;
    private final String storage;
    private final String transport;
    private final String resolver;
    private final String causality;
    private final ReplicationConfig replication;
    /** Every store, the default first, then the others by name. */
    private final Map<String, StoreDefinition> stores;

    private NodeConfig(Map<String, String> raw) {
        this.values = new TreeMap<>(raw);
        // PluginConfig with the empty namespace parses typed values and names the full key on error.
        PluginConfig typed = new PluginConfig("", raw);
        raw.keySet().forEach(NodeConfig::checkKnown);

        this.nodeId = typed.require(NODE_ID);
        if (!NODE_ID_PATTERN.matcher(nodeId).matches()) {
            throw new ConfigException(NODE_ID, "'" + nodeId
                    + "' is not a node id (letters, digits, '.', '_', '-', at most 64, starting with a letter or digit)");
        }
        List<ClusterMember> listed = typed.get(CLUSTER_MEMBERS).map(NodeConfig::parseMembers).orElse(null);
        Endpoint ownAddress = listed == null ? null : listed.stream()
                .filter(m -> m.id().equals(nodeId))
                .findFirst()
                .orElseThrow(() -> new ConfigException(CLUSTER_MEMBERS, "does not list this node's id '" + nodeId + "'"))
                .endpoint();
        this.listen = typed.get(NODE_LISTEN)
                .map(address -> hostAndPort(NODE_LISTEN, address))
                .orElse(ownAddress == null ? new Endpoint("127.0.0.1:7000") : ownAddress);
        this.members = listed == null ? List.of(new ClusterMember(nodeId, listen)) : listed;

        this.dataDirectory = typed.getPath(NODE_DATA_DIR, Path.of("data", nodeId));
        this.pluginsDirectory = typed.getPath(NODE_PLUGINS_DIR, Path.of("plugins"));

        this.partitions = typed.getInt(CLUSTER_PARTITIONS, DEFAULT_PARTITIONS);
        if (partitions < 1 || Integer.bitCount(partitions) != 1 || partitions > MAX_PARTITIONS) {
            throw new ConfigException(CLUSTER_PARTITIONS, partitions + " is not a power of two between 1 and " + MAX_PARTITIONS);
        }
        if (partitions < members.size()) {
            throw new ConfigException(CLUSTER_PARTITIONS, partitions + " is fewer than the " + members.size()
                    + " members of " + CLUSTER_MEMBERS + ": every node must own at least one partition");
        }

        this.partitioner = pluginName(typed, PARTITIONER, "md5");
        this.storage = pluginName(typed, STORAGE, "chronicle");
        this.transport = pluginName(typed, TRANSPORT, "tcp");
        this.resolver = pluginName(typed, RESOLVER, "vector-clock");
        this.causality = pluginName(typed, CAUSALITY, DEFAULT_CAUSALITY);

        this.joining = typed.getBoolean(MEMBERSHIP_JOIN, false);
        // a joining node lists only itself: N is the cluster's, not bounded by that list
        int n = typed.getInt(REPLICATION_N, joining ? 3 : Math.min(3, members.size()));
        if (!joining && n > members.size()) {
            throw new ConfigException(REPLICATION_N, n + " is more than the " + members.size()
                    + " members of " + CLUSTER_MEMBERS);
        }
        this.replication = new ReplicationConfig(
                n,
                typed.getInt(REPLICATION_R, Math.min(2, n)),
                typed.getInt(REPLICATION_W, Math.min(2, n)),
                typed.getDuration(REPLICATION_TIMEOUT, Duration.ofSeconds(2)),
                typed.getInt(REPLICATION_MAX_CLOCK_ENTRIES, ReplicationConfig.DEFAULT_MAX_CLOCK_ENTRIES),
                typed.get(REPLICATION_READ_FANOUT).map(value -> ReadFanout.parse(REPLICATION_READ_FANOUT, value))
                        .orElse(ReplicationConfig.DEFAULT_READ_FANOUT),
                typed.getDuration(REPLICATION_SPECULATIVE_RETRY, ReplicationConfig.DEFAULT_SPECULATIVE_RETRY),
                PrimaryQuorums.read(typed, "replication.", n));
        this.stores = parseStores(section("replication"));
    }

    /** The default store (today's keys) and every {@code store.NAME.*}, each N checked against the members. */
    private Map<String, StoreDefinition> parseStores(PluginConfig replicationSection) {
        StoreDefinition defaultStore = new StoreDefinition(StoreDefinition.DEFAULT, replication, resolver, storage,
                causality, VersionLimits.from(replicationSection), RequestLimits.from(replicationSection),
                SyncSettings.from(replicationSection));
        Map<String, Map<String, String>> byName = new TreeMap<>();
        section(StoreDefinition.NAMESPACE).asMap().forEach((key, value) -> {
            int dot = key.indexOf('.');
            String name = key.substring(0, dot); // checkKnown made sure there is one
            byName.computeIfAbsent(name, n -> new HashMap<>()).put(key.substring(dot + 1), value);
        });
        Map<String, StoreDefinition> parsed = new java.util.LinkedHashMap<>();
        parsed.put(StoreDefinition.DEFAULT, defaultStore);
        byName.forEach((name, settings) -> {
            StoreDefinition store = StoreDefinition.from(name, settings, defaultStore);
            int n = store.replication().replicas();
            if (!joining && n > members.size()) {
                throw new ConfigException(store.keyOf(StoreDefinition.N), n + " is more than the " + members.size()
                        + " members of " + CLUSTER_MEMBERS);
            }
            parsed.put(name, store);
        });
        return java.util.Collections.unmodifiableMap(parsed);
    }

    private static String metrics(String key) {
        return MetricsSettings.NAMESPACE + "." + key;
    }

    private static String antiEntropy(String key) {
        return AntiEntropySettings.NAMESPACE + "." + key;
    }

    /** Refuses a key of a core namespace (or a bare key) that the core does not read. */
    private static void checkKnown(String key) {
        int dot = key.indexOf('.');
        String namespace = dot < 0 ? "" : key.substring(0, dot);
        boolean core = dot < 0 || RESERVED_NAMESPACES.contains(namespace);
        if (namespace.equals(StoreDefinition.NAMESPACE)) {
            checkStoreKey(key);
            return;
        }
        if (!core || CORE_KEYS.contains(key)) {
            return;
        }
        String known = CORE_KEYS.stream()
                .filter(k -> dot < 0 ? k.indexOf('.') < 0 : k.startsWith(namespace + "."))
                .sorted()
                .collect(Collectors.joining(", "));
        throw new ConfigException(key, "unknown setting" + (known.isEmpty() ? "" : "; the known ones are " + known));
    }

    /** {@code store.NAME.KEY}: a store name and one of the keys a store reads ({@link StoreDefinition#KEYS}). */
    private static void checkStoreKey(String key) {
        String rest = key.substring(StoreDefinition.NAMESPACE.length() + 1);
        int dot = rest.indexOf('.');
        if (dot < 0) {
            throw new ConfigException(key, "a store setting is store.NAME.KEY, KEY one of "
                    + String.join(", ", StoreDefinition.KEYS));
        }
        StoreDefinition.checkName(rest.substring(0, dot));
        if (!StoreDefinition.KEYS.contains(rest.substring(dot + 1))) {
            throw new ConfigException(key, "unknown store setting; the known ones are "
                    + String.join(", ", StoreDefinition.KEYS));
        }
    }

    /** A config from {@code values} alone (keys as in a properties file). */
    public static NodeConfig of(Map<String, String> values) {
        requireNonNull(values, "values is null");
        return new NodeConfig(clean(values));
    }

    /** A config from {@code file}'s properties with {@code overrides} (e.g. flags) replacing them. */
    public static NodeConfig of(Properties file, Map<String, String> overrides) {
        requireNonNull(file, "file is null");
        requireNonNull(overrides, "overrides is null");
        Map<String, String> merged = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            merged.put(key, file.getProperty(key));
        }
        merged.putAll(overrides);
        return new NodeConfig(clean(merged));
    }

    /**
     * Reads the properties file at {@code file} (UTF-8) and applies {@code overrides}. Fails
     * with {@link InvalidArgumentException} naming the file when it cannot be read.
     */
    public static NodeConfig load(Path file, Map<String, String> overrides) {
        requireNonNull(file, "file is null");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
        }
        return of(properties, overrides);
    }

    /** {@code node.id} */
    public String nodeId() {
        return nodeId;
    }

    /** {@code node.listen} */
    public Endpoint listen() {
        return listen;
    }

    /** {@code node.data-dir} */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** {@code node.plugins-dir} */
    public Path pluginsDirectory() {
        return pluginsDirectory;
    }

    /** {@code cluster.members}, in the order written; includes this node. */
    public List<ClusterMember> members() {
        return members;
    }

    /** {@code cluster.partitions}: Q, a power of two. */
    /**
     * {@code membership.join}: this node is not a founding member; it joins a running cluster
     * through the seeds of {@code membership.seeds}, and {@code cluster.members} need only list itself.
     */
    public boolean joining() {
        return joining;
    }

    public int partitions() {
        return partitions;
    }

    /** {@code partitioner}: the name of the selected partitioner. */
    public String partitioner() {
        return partitioner;
    }

    /** {@code storage}: the name of the selected storage engine. */
    public String storage() {
        return storage;
    }

    /** {@code transport}: the name of the selected transport. */
    public String transport() {
        return transport;
    }

    /** {@code resolver}: the name of the selected conflict resolver. */
    public String resolver() {
        return resolver;
    }

    /** The causality scheme's name ({@code causality}). */
    public String causality() {
        return causality;
    }

    /** True when the config names the causality scheme itself, rather than taking the default. */
    public boolean causalityChosen() {
        return values.containsKey(CAUSALITY);
    }

    /** The {@code replication.*} settings. */
    public ReplicationConfig replication() {
        return replication;
    }

    /**
     * Every store this config defines, by name: the {@link StoreDefinition#DEFAULT default} store
     * first (today's {@code replication.*}, {@code resolver}, {@code storage}, {@code causality}),
     * then each {@code store.NAME.*} in name order.
     */
    public Map<String, StoreDefinition> stores() {
        return stores;
    }

    /**
     * The keys under {@code namespace.}, with that prefix removed, as the {@link PluginConfig}
     * of the plugin named {@code namespace}: {@code chronicle.entries=1000} is
     * {@code section("chronicle").getLong("entries", ...)}, and its errors name
     * {@code chronicle.entries}.
     */
    public PluginConfig section(String namespace) {
        requireNonNull(namespace, "namespace is null");
        if (namespace.isEmpty() || namespace.endsWith(".")) {
            throw new InvalidArgumentException("namespace '" + namespace + "' is empty or ends with '.'");
        }
        String prefix = namespace + ".";
        Map<String, String> section = new HashMap<>();
        // The sorted map holds the keys of one prefix together.
        for (Map.Entry<String, String> entry : values.tailMap(prefix).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            section.put(entry.getKey().substring(prefix.length()), entry.getValue());
        }
        return new PluginConfig(namespace, section);
    }

    /** What a plugin is told about this node: its id and data directory. */
    public PluginContext pluginContext() {
        return new NodePluginContext(nodeId, dataDirectory);
    }

    /** Every key and value given, sorted by key (defaults not included). */
    public SortedMap<String, String> asMap() {
        return new TreeMap<>(values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeConfig that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The node and its selections; not the plugins' settings, which may hold secrets. */
    @Override
    public String toString() {
        return "NodeConfig{node " + nodeId + " at " + listen + ", " + members.size() + " members, Q=" + partitions
                + ", partitioner=" + partitioner + ", storage=" + storage + ", transport=" + transport
                + ", resolver=" + resolver + ", " + replication + "}";
    }

    private static Map<String, String> clean(Map<String, String> values) {
        Map<String, String> cleaned = new HashMap<>();
        values.forEach((key, value) -> {
            requireNonNull(key, "a key is null");
            requireNonNull(value, () -> "the value of " + key + " is null");
            cleaned.put(key.trim(), value.trim());
        });
        return cleaned;
    }

    private static String pluginName(PluginConfig typed, String key, String defaultName) {
        String name = typed.getString(key, defaultName);
        if (!PLUGIN_NAME.matcher(name).matches()) {
            throw new ConfigException(key, "'" + name + "' is not a plugin name (lowercase letters, digits and '-', starting with a letter)");
        }
        return name;
    }

    private static List<ClusterMember> parseMembers(String list) {
        List<ClusterMember> members = new ArrayList<>();
        Map<String, String> idByAddress = new HashMap<>();
        for (String item : list.split(",", -1)) {
            String entry = item.trim();
            int at = entry.indexOf('@');
            if (at < 0) {
                throw new ConfigException(CLUSTER_MEMBERS, "'" + entry + "' is not id@host:port");
            }
            String id = entry.substring(0, at).trim();
            if (!NODE_ID_PATTERN.matcher(id).matches()) {
                throw new ConfigException(CLUSTER_MEMBERS, "'" + entry + "' does not start with a node id (id@host:port)");
            }
            Endpoint endpoint = hostAndPort(CLUSTER_MEMBERS, entry.substring(at + 1).trim());
            if (members.stream().anyMatch(m -> m.id().equals(id))) {
                throw new ConfigException(CLUSTER_MEMBERS, "node id '" + id + "' is listed twice");
            }
            String previous = idByAddress.putIfAbsent(endpoint.address(), id);
            if (previous != null) {
                throw new ConfigException(CLUSTER_MEMBERS, "'" + previous + "' and '" + id + "' have the same address " + endpoint);
            }
            members.add(new ClusterMember(id, endpoint));
        }
        return List.copyOf(members);
    }

    private static Endpoint hostAndPort(String key, String address) {
        try {
            Endpoint endpoint = new Endpoint(address);
            if (endpoint.host().isEmpty()) {
                throw new InvalidArgumentException("no host");
            }
            endpoint.port();
            return endpoint;
        } catch (InvalidArgumentException e) {
            throw new ConfigException(key, "'" + address + "' is not host:port");
        }
    }
}

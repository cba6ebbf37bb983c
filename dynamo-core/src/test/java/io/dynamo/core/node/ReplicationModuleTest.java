package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.ConfigModule;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.coordination.ManualClock;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.membership.PhiAccrualFailureDetector;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.core.transport.local.LocalTransportFactory;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Three nodes, each assembled by its own injector as main does, over one {@code local} transport factory. */
class ReplicationModuleTest {
    private static final String MEMBERS = "a@127.0.0.1:7001,b@127.0.0.1:7002,c@127.0.0.1:7003";

    /** Stands in for the plugin modules: the implementations a registry would select. */
    private static final class Plugins extends AbstractModule {
        private final LocalTransportFactory transports;

        Plugins(LocalTransportFactory transports) {
            this.transports = transports;
        }

        @Override
        protected void configure() {
            bind(Partitioner.class).toInstance(Partitioner.of64Bits(key -> (long) key.hashCode() * 0x9E3779B97F4A7C15L));
            bind(ConflictResolver.class).toInstance(new VectorClockResolverFactory().create(PluginConfig.empty("vector-clock"), null));
            bind(StorageEngine.class).toInstance(new MemoryStorageEngine());
            bind(CausalityScheme.class).toInstance(new WriterSlots());
        }

        @com.google.inject.Provides
        Transport transport(NodeConfig config, PluginContext context) {
            return transports.create(config.section("local"), context);
        }
    }

    @Test
    void nodesMadeByInjectorsFormACluster() {
        LocalTransportFactory transports = new LocalTransportFactory();
        List<DynamoNode> nodes = new ArrayList<>();
        try {
            for (String id : List.of("a", "b", "c")) {
                NodeConfig config = NodeConfig.of(Map.of("node.id", id, "cluster.members", MEMBERS, "cluster.partitions", "16",
                        "storage", "memory", "transport", "local", "replication.handoff-interval", "100ms",
                        "anti-entropy.tree-depth", "12", "anti-entropy.interval", "0"));
                Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(config), new Plugins(transports),
                        new ReplicationModule());
                assertEquals(Duration.ofMillis(100), injector.getInstance(NodeSettings.class).handoffInterval());
                DynamoNode node = injector.getInstance(DynamoNode.class);
                assertEquals(AntiEntropySettings.DEFAULT.withTreeDepth(12).withInterval(Duration.ZERO),
                        node.antiEntropy().settings());
                nodes.add(node.start());
            }
            PluginContext clientContext = new PluginContext() {
                @Override
                public String nodeId() {
                    return "client";
                }

                @Override
                public java.nio.file.Path dataDirectory() {
                    return java.nio.file.Path.of("unused");
                }
            };
            try (DynamoClient client = DynamoClient.builder(transports.create(PluginConfig.empty("local"), clientContext),
                    List.of(new Endpoint("127.0.0.1:7001"), new Endpoint("127.0.0.1:7002"))).build()) {
                client.put(Bytes.utf8("k"), Bytes.utf8("v"), Context.EMPTY);
                assertEquals(List.of(Bytes.utf8("v")), client.get(Bytes.utf8("k")).values());
                assertEquals(List.of(Bytes.utf8("v")), nodes.get(2).store().get(Bytes.utf8("k")).values());
            }
        } finally {
            nodes.forEach(DynamoNode::close);
        }
    }

    @Test
    void aBadAntiEntropySettingFailsAtStartNamingItsKey() {
        NodeConfig config = NodeConfig.of(Map.of("node.id", "a", "cluster.members", MEMBERS, "cluster.partitions", "16",
                "anti-entropy.tree-depth", "40"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Guice.createInjector(Stage.PRODUCTION,
                new ConfigModule(config), new Plugins(new LocalTransportFactory()), new ReplicationModule()));
        assertTrue(e.getMessage().contains("anti-entropy.tree-depth"), e::getMessage);
    }

    /** The node's phi-accrual detector measures silence on the monotonic clock: a wall-clock jump suspects no one. */
    @Test
    void aWallClockJumpDoesNotChangePhi() {
        ManualClock clock = new ManualClock();
        NodeConfig config = NodeConfig.of(Map.of("node.id", "a", "cluster.members", MEMBERS, "cluster.partitions", "16",
                "storage", "memory", "transport", "local"));
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(config),
                new Plugins(new LocalTransportFactory()),
                Modules.override(new ReplicationModule()).with(binder -> binder.bind(Scheduler.class).toInstance(clock)));
        try (DynamoNode node = injector.getInstance(DynamoNode.class)) {
            PhiAccrualFailureDetector detector = (PhiAccrualFailureDetector) node.failureDetector();
            for (int beat = 0; beat < 5; beat++) {
                detector.heartbeat("b");
                clock.advance(Duration.ofSeconds(1));
            }
            double phi = detector.phi("b");
            clock.jumpWallClock(Duration.ofHours(1));
            assertEquals(phi, detector.phi("b"));
            assertTrue(detector.isAvailable("b"));
        }
    }

    /** The {@code local} transport authenticates no one: a node on a wildcard address is refused, naming the settings. */
    @Test
    void anUnauthenticatedNodeBeyondLoopbackIsRefused() {
        NodeConfig config = NodeConfig.of(Map.of("node.id", "a", "node.listen", "0.0.0.0:7001", "cluster.members", MEMBERS,
                "cluster.partitions", "16", "storage", "memory", "transport", "local"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Guice.createInjector(Stage.PRODUCTION,
                new ConfigModule(config), new Plugins(new LocalTransportFactory()), new ReplicationModule()));
        assertTrue(e.getMessage().contains("node.listen: 0.0.0.0:7001 is not a loopback address"), e::getMessage);
        assertTrue(e.getMessage().contains("local.secret"), e::getMessage);
    }

    /** {@code replication.sync} reaches the node: {@code always} over the memory engine, which cannot sync, is refused. */
    @Test
    void aSyncPolicyTheEngineCannotKeepFailsAtStartNamingTheSetting() {
        NodeConfig config = NodeConfig.of(Map.of("node.id", "a", "cluster.members", MEMBERS, "cluster.partitions", "16",
                "storage", "memory", "transport", "local", "replication.sync", "always"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Guice.createInjector(Stage.PRODUCTION,
                new ConfigModule(config), new Plugins(new LocalTransportFactory()), new ReplicationModule())
                .getInstance(DynamoNode.class));
        assertTrue(e.getMessage().contains("replication.sync: always needs a storage engine that can make writes durable"),
                e::getMessage);
        // a policy that does not exist is refused as the config is read
        RuntimeException refused = assertThrows(RuntimeException.class, () -> NodeConfig.of(Map.of("node.id", "a",
                "cluster.members", MEMBERS, "cluster.partitions", "16", "replication.sync", "sometimes")));
        assertTrue(refused.getMessage().contains("replication.sync: 'sometimes' is not a sync policy; the policies are"
                + " none, interval, always"), refused::getMessage);
    }

    @Test
    void antiEntropyIsAReservedNamespace() {
        assertTrue(NodeConfig.RESERVED_NAMESPACES.contains(AntiEntropySettings.NAMESPACE));
    }
}

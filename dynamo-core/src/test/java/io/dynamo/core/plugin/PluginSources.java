package io.dynamo.core.plugin;

/**
 * Java sources of the plugins the discovery tests compile at test time. Each is written as a
 * third party would: against {@code dynamo-api} only.
 */
final class PluginSources {
    private PluginSources() {}

    /**
     * A plugin contributing a partitioner named {@code name}: a key's token is its length times
     * the {@code <name>.multiplier} setting (default 1), and {@code formatToken} prefixes the
     * name. Its {@code toString} tells whether {@code create} ran under the plugin's own class
     * loader as the thread's context loader.
     */
    static String lengthPartitionerPlugin(String packageName, String name) {
        return """
                package %1$s;

                import io.dynamo.api.Bytes;
                import io.dynamo.spi.DynamoPlugin;
                import io.dynamo.spi.PluginConfig;
                import io.dynamo.spi.PluginContext;
                import io.dynamo.spi.partition.Partitioner;
                import io.dynamo.spi.partition.PartitionerFactory;
                import java.math.BigInteger;
                import java.util.List;

                public final class LengthPlugin implements DynamoPlugin {
                    @Override
                    public List<PartitionerFactory> partitioners() {
                        return List.of(new Factory());
                    }

                    static final class Factory implements PartitionerFactory {
                        @Override
                        public String name() {
                            return "%2$s";
                        }

                        @Override
                        public Partitioner create(PluginConfig config, PluginContext context) {
                            boolean ownContextLoader = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
                            return new LengthPartitioner(config.getInt("multiplier", 1), context.nodeId(), ownContextLoader);
                        }
                    }

                    static final class LengthPartitioner implements Partitioner {
                        private final int multiplier;
                        private final String nodeId;
                        private final boolean ownContextLoader;

                        LengthPartitioner(int multiplier, String nodeId, boolean ownContextLoader) {
                            this.multiplier = multiplier;
                            this.nodeId = nodeId;
                            this.ownContextLoader = ownContextLoader;
                        }

                        @Override
                        public int tokenBits() {
                            return 64;
                        }

                        @Override
                        public BigInteger token(Bytes key) {
                            return BigInteger.valueOf((long) key.length() * multiplier);
                        }

                        @Override
                        public String formatToken(BigInteger token) {
                            return "%2$s:" + token;
                        }

                        @Override
                        public String toString() {
                            return "%2$s for " + nodeId + ", created under its own context loader: " + ownContextLoader;
                        }
                    }
                }
                """.formatted(packageName, name);
    }

    /** A library class {@code com.example.lib.Version} whose {@code get()} returns {@code version}. */
    static String libraryVersion(String version) {
        return """
                package com.example.lib;

                public final class Version {
                    private Version() {}

                    public static String get() {
                        return "%s";
                    }
                }
                """.formatted(version);
    }

    /**
     * A plugin, {@code com.example.reporter.ReporterPlugin} whatever its name, contributing a
     * partitioner named {@code name} whose {@code formatToken} reports the version of
     * {@code com.example.lib.Version} it sees (a library it bundles).
     */
    static String versionReportingPlugin(String name) {
        return """
                package com.example.reporter;

                import com.example.lib.Version;
                import io.dynamo.api.Bytes;
                import io.dynamo.spi.DynamoPlugin;
                import io.dynamo.spi.PluginConfig;
                import io.dynamo.spi.PluginContext;
                import io.dynamo.spi.partition.Partitioner;
                import io.dynamo.spi.partition.PartitionerFactory;
                import java.math.BigInteger;
                import java.util.List;

                public final class ReporterPlugin implements DynamoPlugin {
                    @Override
                    public List<PartitionerFactory> partitioners() {
                        return List.of(new PartitionerFactory() {
                            @Override
                            public String name() {
                                return "%s";
                            }

                            @Override
                            public Partitioner create(PluginConfig config, PluginContext context) {
                                return new Partitioner() {
                                    @Override
                                    public int tokenBits() {
                                        return 64;
                                    }

                                    @Override
                                    public BigInteger token(Bytes key) {
                                        return BigInteger.ZERO;
                                    }

                                    @Override
                                    public String formatToken(BigInteger token) {
                                        return "library version " + Version.get();
                                    }
                                };
                            }
                        });
                    }
                }
                """.formatted(name);
    }

    /** A plugin whose public constructor throws {@code IllegalStateException(message)}. */
    static String throwingConstructorPlugin(String message) {
        return """
                package com.example.broken;

                import io.dynamo.spi.DynamoPlugin;

                public final class ThrowingPlugin implements DynamoPlugin {
                    public ThrowingPlugin() {
                        throw new IllegalStateException("%s");
                    }
                }
                """.formatted(message);
    }

    /** A plugin contributing one conflict-resolver factory named {@code name} (never created here). */
    static String resolverNamedPlugin(String packageName, String name) {
        return """
                package %1$s;

                import io.dynamo.spi.DynamoPlugin;
                import io.dynamo.spi.PluginConfig;
                import io.dynamo.spi.PluginContext;
                import io.dynamo.spi.resolution.ConflictResolver;
                import io.dynamo.spi.resolution.ConflictResolverFactory;
                import java.util.List;

                public final class NamedResolverPlugin implements DynamoPlugin {
                    @Override
                    public List<ConflictResolverFactory> conflictResolvers() {
                        return List.of(new ConflictResolverFactory() {
                            @Override
                            public String name() {
                                return "%2$s";
                            }

                            @Override
                            public ConflictResolver create(PluginConfig config, PluginContext context) {
                                return (key, versions) -> List.of(versions.get(0));
                            }
                        });
                    }
                }
                """.formatted(packageName, name);
    }

    /**
     * A plugin contributing a transport named {@code name} that reaches only itself: requests
     * to the endpoint it is bound at go to its own handler, requests anywhere else fail with
     * {@code TransportException}. Enough to wire and exercise a node alone.
     */
    static String loopbackTransportPlugin(String packageName, String name) {
        return """
                package %1$s;

                import io.dynamo.spi.DynamoPlugin;
                import io.dynamo.spi.PluginConfig;
                import io.dynamo.spi.PluginContext;
                import io.dynamo.spi.transport.Endpoint;
                import io.dynamo.spi.transport.RequestHandler;
                import io.dynamo.spi.transport.Transport;
                import io.dynamo.spi.transport.TransportException;
                import io.dynamo.spi.transport.TransportFactory;
                import java.time.Duration;
                import java.util.List;
                import java.util.concurrent.CompletableFuture;
                import java.util.concurrent.atomic.AtomicReference;

                public final class LoopbackPlugin implements DynamoPlugin {
                    @Override
                    public List<TransportFactory> transports() {
                        return List.of(new TransportFactory() {
                            @Override
                            public String name() {
                                return "%2$s";
                            }

                            @Override
                            public Transport create(PluginConfig config, PluginContext context) {
                                return new LoopbackTransport();
                            }
                        });
                    }

                    static final class LoopbackTransport implements Transport {
                        private final AtomicReference<Endpoint> bound = new AtomicReference<>();
                        private volatile RequestHandler handler;

                        @Override
                        public Endpoint bind(Endpoint local, RequestHandler handler) {
                            this.handler = handler;
                            if (!bound.compareAndSet(null, local)) {
                                throw new TransportException("already bound to " + bound.get());
                            }
                            return local;
                        }

                        @Override
                        public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
                            if (!peer.equals(bound.get())) {
                                return CompletableFuture.failedFuture(new TransportException(peer + " is unreachable from a loopback transport"));
                            }
                            return handler.handle(payload.clone());
                        }

                        @Override
                        public void close() {}
                    }
                }
                """.formatted(packageName, name);
    }
}

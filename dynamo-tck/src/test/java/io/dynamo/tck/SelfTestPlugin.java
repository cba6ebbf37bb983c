package io.dynamo.tck;

import io.dynamo.api.Bytes;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

/**
 * The self-tests' plugin, listed in this module's test {@code META-INF/services}: correct and
 * deliberately broken factories that the contracts find by name.
 */
public final class SelfTestPlugin implements DynamoPlugin {
    static final String SIMPLE = "simple";
    static final String SINGLETON = "singleton";
    static final String JDK_MD5 = "jdk-md5";
    static final String SEEDED = "seeded";

    @Override
    public List<StorageEngineFactory> storageEngines() {
        return List.of(new Engines(SIMPLE) {
            @Override
            public StorageEngine create(PluginConfig config, PluginContext context) {
                return new StorageEngineContractSelfTest.SimpleEngine();
            }
        }, new Engines(SINGLETON) {
            private final StorageEngine only = new StorageEngineContractSelfTest.SimpleEngine();

            @Override
            public StorageEngine create(PluginConfig config, PluginContext context) {
                return only;
            }
        });
    }

    @Override
    public List<PartitionerFactory> partitioners() {
        return List.of(new Partitioners(JDK_MD5) {
            @Override
            public Partitioner create(PluginConfig config, PluginContext context) {
                return new PartitionerContractSelfTest.JdkMd5();
            }
        }, new Partitioners(SEEDED) {
            @Override
            public Partitioner create(PluginConfig config, PluginContext context) {
                return new SeededPerProcess();
            }
        });
    }

    /** MD5 of a per-process random seed and the key: every node places keys differently. */
    static final class SeededPerProcess extends PartitionerContractSelfTest.JdkMd5 {
        // the planted fault: static, so drawn once per class loader (per process on a node)
        private static final long SEED = new Random().nextLong();

        @Override
        public BigInteger token(Bytes key) {
            byte[] bytes = key.toByteArray();
            byte[] seeded = ByteBuffer.allocate(8 + bytes.length).putLong(SEED).put(bytes).array();
            return new BigInteger(1, digest(Bytes.of(seeded)));
        }
    }

    private abstract static class Engines implements StorageEngineFactory {
        private final String name;

        Engines(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }
    }

    private abstract static class Partitioners implements PartitionerFactory {
        private final String name;

        Partitioners(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }
    }
}

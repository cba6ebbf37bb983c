package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynamo.api.Bytes;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link Partitioner}. Subclass it once per partitioner:
 *
 * <pre>{@code
 * class MyPartitionerTest extends PartitionerContractTest {
 *     protected Partitioner createPartitioner() { return new MyPartitioner(); }
 * }
 * }</pre>
 *
 * <p>Keys are generated from fixed seeds, so a failure replays exactly.
 *
 * <p>Every node of a cluster must place a key alike, so a partitioner contributed by a plugin
 * is also made by its factory in two class loaders of its own over the plugin's code (as two
 * nodes would load it), and all three instances must agree: a hash seeded per process (a
 * static random seed, {@code String.hashCode} of an identity, ...) fails. The factory is the
 * one named {@link #partitionerName()}, or else the one whose product has the class of
 * {@link #createPartitioner()}'s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PartitionerContractTest {
    private static final int SPREAD_KEYS = 100_000;
    private static final int BUCKET_BITS = 4;
    /**
     * Chi-square with 15 degrees of freedom exceeds 37.7 with probability 0.001 for a uniform
     * hash; the bound leaves room for that and still fails any real skew (a partitioner that
     * leaves one of 16 buckets empty scores above 6,000).
     */
    private static final double MAX_CHI_SQUARE = 50;

    private Partitioner partitioner;

    @TempDir
    Path directory;

    /**
     * The name of the partitioner's factory among the plugins in {@code META-INF/services};
     * empty (the default) to find it by the class of {@link #createPartitioner()}'s product.
     */
    protected Optional<String> partitionerName() {
        return Optional.empty();
    }

    /** The settings the factory is given (keys of its namespace, without the prefix). */
    protected Map<String, String> partitionerSettings() {
        return Map.of();
    }

    /** A new partitioner; called before each test, and again where a second instance is needed. */
    protected abstract Partitioner createPartitioner();

    @BeforeEach
    final void create() {
        partitioner = createPartitioner();
    }

    protected final Partitioner partitioner() {
        return partitioner;
    }

    @Test
    void tokenSpaceIsAtLeast64Bits() {
        assertTrue(partitioner.tokenBits() >= 64, "tokenBits must be at least 64: " + partitioner.tokenBits());
    }

    @Test
    void sameKeySameTokenAcrossInstances() {
        Partitioner other = createPartitioner();
        for (Bytes key : sampleKeys(2_000, 1)) {
            assertEquals(partitioner.token(key), partitioner.token(key), "token of " + key + " changed between calls");
            assertEquals(partitioner.token(key), other.token(key), "two instances disagree on " + key);
            assertEquals(partitioner.position(key), other.position(key), "two instances disagree on " + key);
        }
    }

    @Test
    void tokensLieInTheTokenSpace() {
        BigInteger limit = BigInteger.ONE.shiftLeft(partitioner.tokenBits());
        List<Bytes> keys = new ArrayList<>(sampleKeys(5_000, 2));
        keys.addAll(edgeKeys());
        for (Bytes key : keys) {
            BigInteger token = partitioner.token(key);
            assertNotNull(token, "token of " + key);
            assertTrue(token.signum() >= 0 && token.compareTo(limit) < 0,
                    "token " + token + " of " + key + " outside [0, 2^" + partitioner.tokenBits() + ")");
        }
    }

    @Test
    void positionIsTheTop64BitsOfTheToken() {
        int shift = partitioner.tokenBits() - 64;
        List<Bytes> keys = new ArrayList<>(sampleKeys(5_000, 3));
        keys.addAll(edgeKeys());
        for (Bytes key : keys) {
            long expected = partitioner.token(key).shiftRight(shift).longValue();
            assertEquals(expected, partitioner.position(key),
                    () -> "position of " + key + " is not the top 64 bits of token " + partitioner.token(key));
        }
    }

    @Test
    void emptyAndLargeKeysWork() {
        for (Bytes key : edgeKeys()) {
            assertEquals(partitioner.token(key), partitioner.token(Bytes.of(key.toByteArray())));
        }
    }

    @Test
    void distinctKeysGetDistinctPositions() {
        long[] positions = new long[SPREAD_KEYS];
        for (int i = 0; i < SPREAD_KEYS; i++) {
            positions[i] = partitioner.position(Bytes.utf8("user:" + i));
        }
        Arrays.sort(positions);
        for (int i = 1; i < SPREAD_KEYS; i++) {
            assertTrue(positions[i] != positions[i - 1], "colliding positions among " + SPREAD_KEYS + " keys");
        }
    }

    @Test
    void textKeysSpreadEvenlyOverTheTopBits() {
        List<Bytes> keys = new ArrayList<>(SPREAD_KEYS);
        for (int i = 0; i < SPREAD_KEYS; i++) {
            keys.add(Bytes.utf8("user:" + i));
        }
        assertUniform(keys, "keys user:0 .. user:" + (SPREAD_KEYS - 1));
    }

    @Test
    void sequentialNumericKeysSpreadEvenlyOverTheTopBits() {
        List<Bytes> keys = new ArrayList<>(SPREAD_KEYS);
        for (long i = 0; i < SPREAD_KEYS; i++) {
            keys.add(Bytes.of(ByteBuffer.allocate(8).putLong(i).array()));
        }
        assertUniform(keys, "8-byte big-endian keys 0 .. " + (SPREAD_KEYS - 1));
    }

    @Test
    void threadsAgreeWithASingleThread() throws Exception {
        List<Bytes> keys = sampleKeys(10_000, 4);
        List<BigInteger> expected = new ArrayList<>();
        for (Bytes key : keys) {
            expected.add(partitioner.token(key));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<BigInteger>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<BigInteger> tokens = new ArrayList<>();
                    for (Bytes key : keys) {
                        tokens.add(partitioner.token(key));
                        partitioner.position(key);
                    }
                    return tokens;
                }));
            }
            for (Future<List<BigInteger>> result : results) {
                assertEquals(expected, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void instancesLoadedInSeparateClassLoadersPlaceKeysAlike() throws IOException {
        Optional<Found> found = findFactory();
        assumeTrue(found.isPresent(), "no plugin in META-INF/services makes " + partitioner.getClass().getName()
                + "; override partitionerName() to test a plugin's partitioner across class loaders");
        String name = found.get().factory().name();
        List<Bytes> keys = sampleKeys(20_000, 6);
        try (IsolatedLoader first = new IsolatedLoader(found.get().codeSources(), getClass().getClassLoader());
                IsolatedLoader second = new IsolatedLoader(found.get().codeSources(), getClass().getClassLoader())) {
            Partitioner one = create(first, name);
            Partitioner two = create(second, name);
            for (Bytes key : keys) {
                BigInteger expected = partitioner.token(key);
                assertEquals(expected, one.token(key), () -> "a partitioner loaded in another class loader (as another node"
                        + " loads it) places " + key + " elsewhere: is its hash seeded per process?");
                assertEquals(expected, two.token(key), () -> "two class loaders disagree on " + key);
                assertEquals(partitioner.position(key), one.position(key), () -> "positions disagree on " + key);
            }
        }
    }

    /** A factory and the code it came from. */
    private record Found(PartitionerFactory factory, URL[] codeSources) {}

    private Optional<Found> findFactory() {
        for (DynamoPlugin plugin : ServiceLoader.load(DynamoPlugin.class, getClass().getClassLoader())) {
            for (PartitionerFactory factory : plugin.partitioners()) {
                boolean named = partitionerName().map(factory.name()::equals).orElse(false);
                if (named || (partitionerName().isEmpty() && makes(factory, partitioner.getClass()))) {
                    Set<URL> sources = new LinkedHashSet<>();
                    sources.add(plugin.getClass().getProtectionDomain().getCodeSource().getLocation());
                    sources.add(factory.getClass().getProtectionDomain().getCodeSource().getLocation());
                    return Optional.of(new Found(factory, sources.toArray(new URL[0])));
                }
            }
        }
        assertTrue(partitionerName().isEmpty(), "no plugin in META-INF/services has a partitioner named " + partitionerName());
        return Optional.empty();
    }

    /** Whether {@code factory}, given {@link #partitionerSettings()}, makes partitioners of class {@code type}. */
    private boolean makes(PartitionerFactory factory, Class<?> type) {
        try {
            return make(factory).getClass().equals(type);
        } catch (RuntimeException needsOtherSettings) {
            return false; // another plugin's partitioner: not the one under test
        }
    }

    private Partitioner create(ClassLoader loader, String name) {
        for (DynamoPlugin plugin : ServiceLoader.load(DynamoPlugin.class, loader)) {
            if (plugin.getClass().getClassLoader() != loader) {
                continue; // found through the parent: not an isolated copy
            }
            for (PartitionerFactory factory : plugin.partitioners()) {
                if (factory.name().equals(name)) {
                    return make(factory);
                }
            }
        }
        throw new AssertionError("the plugin making partitioner '" + name + "' cannot be loaded in a class loader of its own");
    }

    private Partitioner make(PartitionerFactory factory) {
        PluginContext context = new PluginContext() {
            @Override
            public String nodeId() {
                return "node-1";
            }

            @Override
            public Path dataDirectory() {
                return directory;
            }
        };
        return factory.create(new PluginConfig(factory.name(), partitionerSettings()), context);
    }

    private void assertUniform(List<Bytes> keys, String description) {
        int buckets = 1 << BUCKET_BITS;
        long[] counts = new long[buckets];
        for (Bytes key : keys) {
            counts[(int) (partitioner.position(key) >>> (64 - BUCKET_BITS))]++;
        }
        double expected = (double) keys.size() / buckets;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertTrue(chiSquare < MAX_CHI_SQUARE, "uneven spread of " + description + " over the top " + BUCKET_BITS
                + " bits: chi-square " + chiSquare + ", counts " + Arrays.toString(counts));
    }

    /** {@code count} random keys of 0 to 64 bytes from a fixed seed. */
    protected static List<Bytes> sampleKeys(int count, long seed) {
        Random random = new Random(seed);
        List<Bytes> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[random.nextInt(65)];
            random.nextBytes(key);
            keys.add(Bytes.of(key));
        }
        return keys;
    }

    private static List<Bytes> edgeKeys() {
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] large = new byte[1 << 20];
        new Random(5).nextBytes(large);
        return List.of(Bytes.EMPTY, Bytes.of(new byte[1]), Bytes.of(new byte[] {(byte) 0xFF}), Bytes.of(ones), Bytes.of(large));
    }
}

package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against three real nodes over TCP (in this JVM, memory storage). */
class CliClusterTest {
    private static final Pattern CONTEXT = Pattern.compile("(?m)^context: (\\S+)$");

    @TempDir static Path directory;
    private static InProcessNodes nodes;

    @BeforeAll
    static void startNodes() {
        nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory", "replication.timeout", "5s",
                "store.carts.resolver", "set-union", "store.sessions.resolver", "lww"));
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void putThenGetPrintsTheValueAndItsContext() {
        Cli.Result put = client("put", "greeting", "hello");
        assertEquals(0, put.exitCode(), put::toString);
        String written = context(put);

        Cli.Result get = client("get", "greeting");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals("value: hello\ncontext: " + written + "\n", get.out(), get::toString);
        assertEquals("", get.err());
    }

    @Test
    void blindWritesBecomeSiblingsAndAWriteWithTheirContextResolvesThem() {
        String start = context(client("put", "cart", "empty"));
        // two clients write from the same read: neither saw the other's write
        assertEquals(0, client("put", "cart", "milk", "--context", start).exitCode());
        assertEquals(0, client("put", "cart", "eggs", "--context", start).exitCode());

        Cli.Result conflict = client("get", "cart");
        assertEquals(0, conflict.exitCode(), conflict::toString);
        assertTrue(conflict.out().contains("value 1 of 2: ") && conflict.out().contains("value 2 of 2: "), conflict::toString);
        assertTrue(conflict.out().contains("milk") && conflict.out().contains("eggs"), conflict::toString);

        Cli.Result merge = client("put", "cart", "milk,eggs", "--context", context(conflict));
        assertEquals(0, merge.exitCode(), merge::toString);
        Cli.Result merged = client("get", "cart");
        assertTrue(merged.out().startsWith("value: milk,eggs\n"), merged::toString);
    }

    @Test
    void deleteWithTheReadContext() {
        client("put", "doomed", "x");
        Cli.Result read = client("get", "doomed");
        Cli.Result delete = client("delete", "doomed", "--context", context(read));
        assertEquals(0, delete.exitCode(), delete::toString);
        assertTrue(delete.out().startsWith("deleted\ncontext: "), delete::toString);

        Cli.Result gone = client("get", "doomed");
        assertEquals(0, gone.exitCode(), gone::toString);
        assertTrue(gone.out().startsWith("not found (deleted)\ncontext: "), gone::toString);
    }

    /** Larger than one command-line argument may be (128 KiB on Linux), with every byte value. */
    @Test
    void putOfABinaryValueFromAFileAndFromStandardInput() throws Exception {
        byte[] value = new byte[300_000];
        new java.util.Random(7).nextBytes(value);
        value[0] = 0;
        Path file = directory.resolve("value.bin");
        java.nio.file.Files.write(file, value);

        Cli.Result put = client("put", "from-file", "--value-file", file.toString());
        assertEquals(0, put.exitCode(), put::toString);
        Cli.Result get = client("get", "from-file");
        assertEquals("value: 0x" + io.dynamo.api.Bytes.of(value).toHex() + "\ncontext: " + context(put) + "\n", get.out());

        byte[] piped = java.util.Arrays.copyOf(value, 200_000);
        Cli.Result fromStdin = Cli.runWithInput(piped, "put", "from-stdin", "--value-file", "-", "--nodes", nodes.nodesOption());
        assertEquals(0, fromStdin.exitCode(), fromStdin::toString);
        assertTrue(client("get", "from-stdin").out().startsWith("value: 0x" + io.dynamo.api.Bytes.of(piped).toHex() + "\n"));
    }

    @Test
    void storeOptionReadsAndWritesThatStoreOnly() {
        assertEquals(0, client("put", "shared-key", "in-carts", "--store", "carts").exitCode());
        assertEquals(0, client("put", "shared-key", "in-default").exitCode());

        assertTrue(client("get", "shared-key", "--store", "carts").out().startsWith("value: in-carts\n"));
        assertTrue(client("get", "shared-key", "--store", "default").out().startsWith("value: in-default\n"));
        assertEquals("not found\n", client("get", "shared-key", "--store", "sessions").out());

        // set-union: two blind writes to carts come back as their union, one value
        String start = context(client("put", "cart-1", "milk", "--store", "carts"));
        assertEquals(0, client("put", "cart-1", "eggs", "--store", "carts", "--context", start).exitCode());
        assertEquals(0, client("put", "cart-1", "bread", "--store", "carts", "--context", start).exitCode());
        Cli.Result cart = client("get", "cart-1", "--store", "carts");
        assertEquals(1, cart.out().lines().filter(line -> line.startsWith("value")).count(), cart::toString);
    }

    @Test
    void anUnknownStoreIsAnErrorListingTheStores() {
        Cli.Result get = client("get", "k", "--store", "nosuch");
        assertTrue(get.exitCode() != 0, get::toString);
        assertTrue(get.err().contains("nosuch") && get.err().contains("carts") && get.err().contains("sessions"),
                get::toString);
        Cli.Result two = client("get", "k", "--store", "carts,sessions");
        assertTrue(two.exitCode() != 0 && two.err().contains("--store takes one store here"), two::toString);
    }

    @Test
    void benchSharesItsThreadsOutAmongTheStoresNamed() {
        Cli.Result bench = client("bench", "--threads", "2", "--duration", "1s", "--records", "50", "--load",
                "--workload", "a", "--progress", "1s", "--store", "carts,sessions");
        assertEquals(0, bench.exitCode(), bench::toString);
        assertTrue(bench.out().contains("store carts + sessions"), bench::toString);
        assertTrue(bench.out().matches("(?s).*\ninsert +100 .*"), bench::toString);
        for (String store : List.of("carts", "sessions")) {
            assertTrue(client("get", "user49", "--store", store).out().startsWith("value"), store);
        }
    }

    @Test
    void getOfAnAbsentKey() {
        Cli.Result get = client("get", "never-written");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals("not found\n", get.out());
    }

    @Test
    void quorumLargerThanTheReplicasIsRefusedByTheCluster() {
        Cli.Result get = client("get", "k", "--quorum", "5");
        assertTrue(get.exitCode() != 0, get::toString);
        assertEquals(1, get.err().lines().count(), get::toString);
    }

    @Test
    void statusShowsTheRing() {
        Cli.Result status = Cli.run("status", "--config", nodes.config(0).toString());
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().matches("(?s).*node-1 +127\\.0\\.0\\.1:\\d+ +up +86 +member +-\n.*"), status::toString);
        assertTrue(status.out().matches("(?s).*node-3 +127\\.0\\.0\\.1:\\d+ +up +85 +member +-\n.*"), status::toString);
        assertTrue(status.out().contains("3 nodes: 3 up, 0 down; Q=256, N=3, R=2, W=2"), status::toString);
    }

    @Test
    void benchLoadsRunsAndReports() {
        Cli.Result bench = client("bench", "--threads", "2", "--duration", "2s", "--records", "200", "--load",
                "--workload", "a", "--progress", "1s");
        assertEquals(0, bench.exitCode(), bench::toString);
        assertTrue(bench.out().contains("load phase"), bench::toString);
        assertTrue(bench.out().contains("reads coordinated by the client"), bench::toString);
        assertTrue(bench.out().matches("(?s).*\ninsert +200 .*"), bench::toString);
        assertTrue(bench.out().contains("run (workload a) phase"), bench::toString);
        assertTrue(bench.out().matches("(?s).*\nread +[1-9]\\d* .*"), bench::toString);
        assertTrue(bench.out().matches("(?s).*\nupdate +[1-9]\\d* .*"), bench::toString);
        assertTrue(bench.out().matches("(?s).*\nlargest sibling count seen: [1-9]\\d*\n.*"), bench::toString);
        assertTrue(bench.out().contains("[ "), "no progress line:\n" + bench);
        // the load phase's progress: plain lines under the test's pipe, the last at 100%
        assertTrue(bench.out().contains("\nload: 200/200 records (100%), 0 errors\n"), bench::toString);
        assertTrue(bench.out().indexOf('\r') < 0 && bench.out().indexOf('\u001b') < 0, bench::toString);
    }

    private Cli.Result client(String... args) {
        String[] withNodes = java.util.Arrays.copyOf(args, args.length + 2);
        withNodes[args.length] = "--nodes";
        withNodes[args.length + 1] = nodes.nodesOption();
        return Cli.run(withNodes);
    }

    private static String context(Cli.Result result) {
        Matcher matcher = CONTEXT.matcher(result.out());
        assertTrue(matcher.find(), () -> "no context in\n" + result);
        return matcher.group(1);
    }
}

package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo repair} against three real nodes over TCP (in this JVM, memory storage). */
class CliRepairTest {
    /** A report line: address or "total", then partitions, exchanges, failed, compared, differing, sent, bytes. */
    private static final Pattern ROW = Pattern.compile("(?m)^(\\S+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+)$");

    @TempDir Path directory;
    private InProcessNodes nodes;

    @BeforeEach
    void startNodes() {
        // no periodic rounds: only the command repairs
        nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory", "replication.timeout", "5s",
                "anti-entropy.interval", "0"));
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    @Test
    void aNodeThatLostItsDataGetsEveryKeyBackAndASecondRoundFindsNothing() {
        int keys = 20;
        for (int i = 0; i < keys; i++) {
            assertEquals(0, client("put", "key-" + i, "value-" + i).exitCode());
        }
        nodes.restart(2); // memory storage: node-3 comes back empty, and N=3 makes it a replica of every key

        Cli.Result repair = client("repair", "--node", nodes.address(2));
        assertEquals(0, repair.exitCode(), repair::toString);
        long[] row = row(repair, nodes.address(2));
        assertEquals(0, row[2], repair::toString); // failed exchanges
        // A write that a replica did not acknowledge in time left a hint, which hinted handoff may
        // deliver to the restarted node before the repair: repair sends exactly what still differs.
        assertTrue(row[4] > 0 && row[4] <= keys, repair::toString); // keys differing
        assertEquals(row[4], row[5], repair::toString); // keys sent
        assertTrue(row[6] > 0, repair::toString); // bytes
        assertTrue(repair.out().startsWith("node "), repair::toString);
        assertEquals("", repair.err());

        for (int i = 0; i < keys; i++) {
            Cli.Result get = Cli.run("get", "key-" + i, "--nodes", nodes.address(2), "--quorum", "1");
            assertEquals("value: value-" + i, get.out().lines().findFirst().orElse(""), get::toString);
        }

        Cli.Result again = client("repair");
        assertEquals(0, again.exitCode(), again::toString);
        long[] total = row(again, "total");
        assertEquals(0, total[4], again::toString);
        assertEquals(0, total[5], again::toString);
        for (int i = 0; i < 3; i++) {
            row(again, nodes.address(i)); // a line per node
        }
    }

    @Test
    void progressIsPlainLinesUnderAPipe() throws Exception {
        // the command line in its own JVM, its output read through a pipe: no terminal, so no bar
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), DynamoCli.class.getName(), "repair", "--node", nodes.address(0),
                "--nodes", nodes.nodesOption());
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, cli.exitValue(), out);
        String task = "repair " + nodes.address(0) + ": ";
        List<String> progress = out.lines().filter(line -> line.startsWith(task)).toList();
        assertEquals(11, progress.size(), out); // 0%..100%, one line per tenth (the first partition is the first tenth)
        assertTrue(progress.get(progress.size() - 1).startsWith(task + "256/256 partitions (100%), "), out);
        assertTrue(out.indexOf('\r') < 0 && out.indexOf('\u001b') < 0, "no bar drawing in\n" + out);
        row(new Cli.Result(0, out, ""), nodes.address(0));
    }

    @Test
    void onePartition() {
        Cli.Result repair = client("repair", "--node", nodes.address(0), "--partition", "7");
        assertEquals(0, repair.exitCode(), repair::toString);
        long[] row = row(repair, nodes.address(0));
        assertEquals(1, row[0], repair::toString);
        assertEquals(2, row[1], repair::toString); // with each of the two other replicas
        assertTrue(!repair.out().contains("total"), repair::toString);
    }

    @Test
    void aPartitionOutsideTheRingIsAUsageError() {
        Cli.Result repair = client("repair", "--partition", "256");
        assertEquals(DynamoCli.USAGE, repair.exitCode(), repair::toString);
        assertEquals(List.of("dynamo repair: error: partition 256 outside the ring's [0, 256)"), repair.err().lines().toList(),
                repair::toString);
    }

    @Test
    void aNodeThatDoesNotAnswerFailsTheCommandInOneLine() {
        int closed = InProcessNodes.freePorts(1).get(0);
        Cli.Result repair = client("repair", "--node", "127.0.0.1:" + closed, "--timeout", "2s", "--wait", "2s");
        assertEquals(DynamoCli.FAILURE, repair.exitCode(), repair::toString);
        assertTrue(repair.out().contains("127.0.0.1:" + closed + ": no answer (") && repair.out().contains("waiting for"
                + " connections, again in 0.5 s (waited 0 s of 2 s)"), repair::toString);
        assertEquals(1, repair.err().lines().count(), repair::toString);
        assertTrue(repair.err().startsWith("dynamo repair: error: repair did not run on 127.0.0.1:" + closed), repair::toString);
        assertTrue(repair.out().contains("no answer"), repair::toString);
    }

    private Cli.Result client(String... args) {
        String[] withNodes = Arrays.copyOf(args, args.length + 2);
        withNodes[args.length] = "--nodes";
        withNodes[args.length + 1] = nodes.nodesOption();
        return Cli.run(withNodes);
    }

    /** The seven figures of {@code who}'s line. */
    private static long[] row(Cli.Result result, String who) {
        Matcher matcher = ROW.matcher(result.out());
        while (matcher.find()) {
            if (matcher.group(1).equals(who)) {
                long[] figures = new long[7];
                for (int i = 0; i < 7; i++) {
                    figures[i] = Long.parseLong(matcher.group(i + 2));
                }
                return figures;
            }
        }
        throw new AssertionError("no line for " + who + " in\n" + result);
    }
}

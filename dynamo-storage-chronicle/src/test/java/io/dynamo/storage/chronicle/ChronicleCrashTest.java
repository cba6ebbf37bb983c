package io.dynamo.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level tests: a writer in a separate JVM is killed with SIGKILL at different moments;
 * every put it acknowledged must be found after the directory is reopened (by recovery).
 */
class ChronicleCrashTest {
    /** Milliseconds between the writer's first acknowledged put and the kill, one per round. */
    private static final long[] KILL_DELAYS_MS = {0, 30, 150, 400, 900};
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) ok");

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAcknowledgedPutSurvivesKillMinus9() throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < KILL_DELAYS_MS.length; round++) {
            long firstKey = round * 10_000_000L;
            long started = System.nanoTime();
            Process writer = start(round, "write", dataDirectory.toString(), Long.toString(firstKey));
            CountDownLatch firstAck = new CountDownLatch(1);
            Set<Long> thisRound = ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> readAcks(writer, thisRound, firstAck), "ack-reader-" + round);
            reader.start();
            assertTrue(firstAck.await(60, TimeUnit.SECONDS), "the writer never acknowledged a put; " + stderr(round));
            long firstAckAfter = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(KILL_DELAYS_MS[round]);
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            acknowledged.addAll(thisRound);
            long reopening = System.nanoTime();

            try (StorageEngine engine = EngineFixtures.engine(dataDirectory, CrashWriter.CONFIG)) {
                List<Long> lost = new ArrayList<>();
                for (long n : acknowledged) {
                    List<Versioned> found = engine.get(CrashWriter.partitionOf(n), CrashWriter.keyOf(n));
                    if (!found.equals(List.of(EngineFixtures.version("writer", 1, CrashWriter.valueOf(n))))) {
                        lost.add(n);
                    }
                }
                assertEquals(List.of(), lost, "acknowledged puts lost after round " + round + " " + rounds);
            }
            rounds.add(String.format("%d puts, killed %d ms after the first (first after %d ms; reopen and check %d ms)",
                    thisRound.size(), KILL_DELAYS_MS[round], firstAckAfter, (System.nanoTime() - reopening) / 1_000_000));
        }
        assertTrue(acknowledged.size() > KILL_DELAYS_MS.length, "too few puts to mean anything: " + rounds);
        System.out.println("crash rounds: " + String.join("; ", rounds));
    }

    /**
     * A process that recovered the maps a kill left open and is stopped with SIGTERM right away
     * closes every map cleanly (Chronicle's own exit hook once raced the engine's close and threw
     * a NullPointerException from assertCloseable) and exits; recovery is one INFO line.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermRightAfterARecoveryClosesEveryMapCleanly() throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Process writer = start(0, "write", dataDirectory.toString(), "0");
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread reader = new Thread(() -> readAcks(writer, acknowledged, firstAck), "ack-reader");
        reader.start();
        assertTrue(firstAck.await(60, TimeUnit.SECONDS), "the writer never acknowledged a put; " + stderr(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 20) { // keys 0..9 touch every partition and the hints
            assertTrue(System.nanoTime() < deadline, "the writer stalled; " + stderr(0));
            Thread.onSpinWait();
        }
        writer.destroyForcibly();
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);

        Process holder = start(1, "hold", dataDirectory.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("OPENED", out.readLine(), stderr(1));
        holder.destroy(); // SIGTERM
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "did not exit on SIGTERM; " + stderr(1));
        String log = stderr(1);
        assertFalse(log.contains("Exception"), log);
        assertFalse(log.contains("ERROR"), log);
        assertEquals(1, log.lines().filter(line -> line.contains("recovered")).count(), log);
        assertFalse(log.contains("WARN"), log);

        Path directory = dataDirectory.resolve("chronicle");
        for (int p = 0; p < CrashWriter.PARTITIONS; p++) {
            assertEquals(Manifest.State.CLEAN, PartitionFiles.of(directory, p).readManifest().orElseThrow().state());
        }
        assertEquals(Manifest.State.CLEAN,
                PartitionFiles.of(directory, StorageEngine.HINTS_PARTITION).readManifest().orElseThrow().state());
        try (StorageEngine engine = EngineFixtures.engine(dataDirectory, CrashWriter.CONFIG)) {
            for (long n : acknowledged) {
                assertEquals(List.of(EngineFixtures.version("writer", 1, CrashWriter.valueOf(n))),
                        engine.get(CrashWriter.partitionOf(n), CrashWriter.keyOf(n)), "key " + n);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecondProcessOnTheSameDirectoryFailsAtOnce() throws Exception {
        try (StorageEngine engine = EngineFixtures.engine(dataDirectory, CrashWriter.CONFIG)) {
            EngineFixtures.put(engine, 0, "k", EngineFixtures.version("n", 1, "v"));
            Process other = start(-1, "lock", dataDirectory.toString());
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, other.exitValue(), output + " " + stderr(-1));
            assertTrue(output.startsWith("REFUSED storage directory " + dataDirectory.resolve("chronicle")), output);
            assertTrue(output.contains("in use by another process"), output);
        }
    }

    private void readAcks(Process writer, Set<Long> acknowledged, CountDownLatch firstAck) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher m = ACK.matcher(line);
                if (m.matches()) { // a line cut by the kill has no "ok" and does not count
                    acknowledged.add(Long.parseLong(m.group(1)));
                    firstAck.countDown();
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the writer is killed
        }
    }

    private Process start(int tag, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // a short-lived child: C1 only and the serial collector start it several times faster
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        // the flags Chronicle needs, exactly as this JVM got them (Java 17 or 25)
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("-Dchronicle.")
                    || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWriter.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(stderrFile(tag).toFile())
                .start();
    }

    private Path stderrFile(int tag) {
        return dataDirectory.resolve("child" + tag + ".err");
    }

    private String stderr(int tag) {
        try {
            Path file = stderrFile(tag);
            return Files.exists(file) ? "stderr: " + Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

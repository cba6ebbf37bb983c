package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Starts node JVMs ({@code dynamo server --config FILE}) as separate processes with the same
 * java, class path and Chronicle flags as this JVM, and stops them: SIGTERM first, SIGKILL when
 * they do not exit in time.
 */
final class NodeProcesses {
    /** Where the distribution lives ({@code bin/dynamo} sets it); null when run from a build. */
    static final String HOME_PROPERTY = "dynamo.home";
    /** Extra options of the node JVMs (e.g. a flight recording), after the defaults; split at whitespace. */
    static final String NODE_OPTS_ENV = "DYNAMO_NODE_OPTS";

    private static final int CONTINUATION_LINES = 3;
    private static final int TAIL_LINES = 5;
    /** A line that continues a multi-line message: indented, and not a stack frame. */
    private static final Pattern CONTINUATION = Pattern.compile("\\s+(?!at )\\S");

    private NodeProcesses() {}

    /** Starts a node from {@code config}; its stdout and stderr go to {@code consoleLog}. */
    static Process start(Path config, Path consoleLog) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JvmFlags.forJava(Runtime.version().feature()));
        command.addAll(JvmFlags.forNodes());
        command.addAll(JvmFlags.split(System.getenv().getOrDefault(NODE_OPTS_ENV, "")));
        // The node's console shows warnings only: its full log is dynamo.log in its data directory.
        command.add("-D" + NodeLogging.CONSOLE_LEVEL_PROPERTY + "=WARN");
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            command.add("-D" + HOME_PROPERTY + "=" + home);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DynamoCli.class.getName());
        command.add("server");
        command.add("--config");
        command.add(config.toString());
        try {
            Files.createDirectories(consoleLog.getParent());
            return new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a node JVM (" + command.get(0) + ")", e);
        }
    }

    /**
     * The live process {@code pid} if it is a node started from {@code config} (a pid reused by
     * an unrelated process is left alone).
     */
    static Optional<ProcessHandle> find(long pid, Path config) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).map(line -> line.contains(config.toString())).orElse(true));
    }

    /**
     * The full command line: from /proc where there is one, since
     * {@link ProcessHandle.Info#commandLine()} stops at 4096 characters and a node's class path
     * alone is longer.
     */
    private static Optional<String> commandLine(ProcessHandle process) {
        Path procfs = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(procfs)) {
                return Optional.of(new String(Files.readAllBytes(procfs), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // fall back to what the JDK offers
        }
        return process.info().commandLine();
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns true when it exited within the grace period. */
    static boolean stop(ProcessHandle process, Duration grace) {
        requireNonNull(process, "process is null");
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // reported by the caller as not stopped in time
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** The last {@code count} lines of {@code file}, for error messages; empty if unreadable. */
    static List<String> tail(Path file, int count) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * What the console of a node that failed to start says, for {@code cluster start}'s error:
     * its first line that speaks of an error (a multi-line message's first line says what is
     * wrong, and the last lines may not reach it), with up to {@value #CONTINUATION_LINES}
     * indented lines that continue it; its last lines, when they are other lines; and the path
     * of the console log. E.g. {@code ; first error: dynamo server: error: ... | its console
     * ended with: ... (console log: DIR/node-1/console.log)}.
     */
    static String startFailureReport(Path consoleLog) {
        List<String> lines;
        try {
            lines = Files.readAllLines(consoleLog);
        } catch (IOException | UncheckedIOException e) {
            lines = List.of();
        }
        StringBuilder report = new StringBuilder();
        int first = firstErrorLine(lines);
        int excerptEnd = first;
        if (first >= 0) {
            excerptEnd = first + 1;
            while (excerptEnd < lines.size() && excerptEnd <= first + CONTINUATION_LINES
                    && CONTINUATION.matcher(lines.get(excerptEnd)).lookingAt()) {
                excerptEnd++;
            }
            report.append("; first error: ").append(String.join(" | ", lines.subList(first, excerptEnd)));
        }
        int tailStart = Math.max(Math.max(0, excerptEnd), lines.size() - TAIL_LINES);
        if (tailStart < lines.size()) {
            report.append("; its console ended with: ")
                    .append(String.join(" | ", lines.subList(tailStart, lines.size())));
        }
        return report.append(" (console log: ").append(consoleLog.toAbsolutePath()).append(")").toString();
    }

    /** The index of the first line naming an error or an exception, or -1. */
    private static int firstErrorLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).toLowerCase(Locale.ROOT);
            if (line.contains("error") || line.contains("exception")) {
                return i;
            }
        }
        return -1;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

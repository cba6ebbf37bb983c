package io.dynamo.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.config.ClusterMember;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of a local cluster made by {@code dynamo cluster start}:
 * <pre>
 * DIR/members            one id@host:port line per node (what client commands connect to)
 * DIR/pids               one "id pid" line per running node JVM
 * DIR/&lt;id&gt;.properties   the node's config file
 * DIR/&lt;id&gt;/             the node's data directory (its dynamo.log and console.log too)
 * </pre>
 */
record ClusterDirectory(Path path) {
    ClusterDirectory {
        requireNonNull(path, "path is null");
        path = path.toAbsolutePath().normalize();
    }

    Path membersFile() {
        return path.resolve("members");
    }

    Path pidsFile() {
        return path.resolve("pids");
    }

    Path configFile(String nodeId) {
        return path.resolve(nodeId + ".properties");
    }

    Path dataDirectory(String nodeId) {
        return path.resolve(nodeId);
    }

    Path consoleLog(String nodeId) {
        return dataDirectory(nodeId).resolve("console.log");
    }

    boolean hasMembers() {
        return Files.isRegularFile(membersFile());
    }

    List<ClusterMember> members() {
        List<ClusterMember> members = new ArrayList<>();
        for (String line : lines(membersFile())) {
            int at = line.indexOf('@');
            if (at <= 0) {
                throw new InvalidArgumentException(membersFile() + ": '" + line + "' is not id@host:port");
            }
            members.add(new ClusterMember(line.substring(0, at),
                    Addresses.parse(membersFile().toString(), List.of(line.substring(at + 1))).get(0)));
        }
        return members;
    }

    List<Endpoint> endpoints() {
        return members().stream().map(ClusterMember::endpoint).toList();
    }

    void writeMembers(List<ClusterMember> members) {
        StringBuilder text = new StringBuilder();
        members.forEach(m -> text.append(m.id()).append('@').append(m.endpoint()).append('\n'));
        write(membersFile(), text.toString());
    }

    /** The recorded pid of each node, in start order; empty when none is recorded. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (!Files.exists(pidsFile())) {
            return pids;
        }
        for (String line : lines(pidsFile())) {
            String[] parts = line.split("\\s+");
            try {
                pids.put(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new InvalidArgumentException(pidsFile() + ": '" + line + "' is not 'node-id pid'");
            }
        }
        return pids;
    }

    void writePids(Map<String, Long> pids) {
        StringBuilder text = new StringBuilder();
        pids.forEach((id, pid) -> text.append(id).append(' ').append(pid).append('\n'));
        write(pidsFile(), text.toString());
    }

    void deletePids() {
        try {
            Files.deleteIfExists(pidsFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pidsFile(), e);
        }
    }

    static void write(Path file, String text) {
        // Write aside and move, so a reader never sees half a file.
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, text, UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, UTF_8).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

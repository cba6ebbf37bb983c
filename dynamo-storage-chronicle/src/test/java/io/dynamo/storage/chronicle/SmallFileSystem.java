package io.dynamo.storage.chronicle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, to run out of disk for real. Mounting needs root (CI
 * runs as root); {@link #unavailableReason} says why it cannot be used here, for a visible skip.
 */
final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Null when a small file system can be mounted here, else why not. */
    static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "disk-full tests need Linux to mount a small tmpfs; skipped";
        }
        try {
            String uid = run(List.of("id", "-u")).trim();
            return uid.equals("0") ? null : "disk-full tests need root to mount a small filesystem (uid " + uid
                    + "); skipped";
        } catch (IOException e) {
            return "disk-full tests cannot tell the user id (" + e.getMessage() + "); skipped";
        }
    }

    static SmallFileSystem mount(Path mountPoint, int megabytes) throws IOException {
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString()));
        return new SmallFileSystem(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    void resize(int megabytes) throws IOException {
        run(List.of("mount", "-o", "remount,size=" + megabytes + "m", mountPoint.toString()));
    }

    @Override
    public void close() throws IOException {
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.trim());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}

package io.dynamo.server.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The YCSB core mixes the load generator runs: the share of reads, the rest being updates.
 * Keys follow {@link ScrambledZipfianGenerator} in every mix.
 */
public enum Workload {
    /** Update heavy: 50% reads, 50% updates (YCSB workload A, a session store). */
    A(0.50),
    /** Read mostly: 95% reads, 5% updates (YCSB workload B, photo tagging). */
    B(0.95),
    /** Read only (YCSB workload C, a profile cache). */
    C(1.00);

    private final double readProportion;

    Workload(double readProportion) {
        this.readProportion = readProportion;
    }

    public double readProportion() {
        return readProportion;
    }

    /** {@code a}, {@code b} or {@code c}, either case. */
    public static Workload parse(String name) {
        for (Workload workload : values()) {
            if (workload.name().equalsIgnoreCase(name.trim())) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; choose one of "
                + Arrays.stream(values()).map(w -> w.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}

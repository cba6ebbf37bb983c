package io.dynamo.core.config;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;

/**
 * A store's default pr and pw (Riak's): how many of a key's primary replicas (the first N
 * distinct owners in its preference list, not stand-ins) must answer a read / acknowledge a
 * write. 0, the default, requires none: a sloppy quorum of stand-ins is enough. A request's own
 * pr/pw ({@link io.dynamo.api.RequestOptions#primaries()}) replaces these.
 *
 * @param reads pr
 * @param writes pw
 */
public record PrimaryQuorums(int reads, int writes) {
    public static final PrimaryQuorums NONE = new PrimaryQuorums(0, 0);
    /** The short keys of a store's settings: {@code replication.pr} and {@code replication.pw} today. */
    public static final String PR = "pr";
    public static final String PW = "pw";

    public PrimaryQuorums {
        if (reads < 0 || writes < 0) {
            throw new IllegalArgumentException("pr and pw must not be negative: " + reads + ", " + writes);
        }
    }

    /**
     * The settings {@code prefix + "pr"} and {@code prefix + "pw"} of {@code config}, each between
     * 0 and {@code n} (the store's N); a bad value names its key. The one place they are read.
     */
    public static PrimaryQuorums read(PluginConfig config, String prefix, int n) {
        return new PrimaryQuorums(readOne(config, prefix + PR, n), readOne(config, prefix + PW, n));
    }

    private static int readOne(PluginConfig config, String key, int n) {
        int value = config.getInt(key, 0);
        // an N below 1 is the N setting's error, reported by its own check
        if (value < 0 || (n >= 1 && value > n)) {
            throw new ConfigException(key, value + " is not between 0 and N=" + n
                    + " (how many of a key's N primary replicas must answer)");
        }
        return value;
    }
}

package io.dynamo.transport.tcp;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The {@code tcp.*} settings, checked once when the transport is made. See README.md. */
record TcpConfig(
        int maxFrameSize,
        int connectionsPerPeer,
        Duration connectTimeout,
        Duration idleTimeout,
        int ioThreads,
        boolean nativeTransport,
        Duration reconnectBackoff,
        Duration reconnectBackoffMax,
        Duration shutdownGrace,
        Optional<ClusterSecret> secret,
        TlsConfig tls) {

    static final int DEFAULT_MAX_FRAME_SIZE = 16 << 20;
    /** Every key {@link #from} reads, {@link TlsConfig}'s included: the node refuses others in {@code tcp.*}. */
    static final Set<String> KEYS = Stream.concat(Stream.of("max-frame-size", "connections-per-peer", "io-threads",
                    "reconnect-backoff", "reconnect-backoff-max", "connect-timeout", "idle-timeout", "native",
                    "shutdown-grace", "secret", "secret-file"), TlsConfig.KEYS.stream())
            .collect(Collectors.toUnmodifiableSet());

    TcpConfig {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(reconnectBackoffMax, "reconnectBackoffMax is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(tls, "tls is null");
    }

    static TcpConfig from(PluginConfig config) {
        long maxFrameSize = config.getSize("max-frame-size", DEFAULT_MAX_FRAME_SIZE);
        if (maxFrameSize < 1 || maxFrameSize > Integer.MAX_VALUE - Frames.HEADER_SIZE) {
            throw new ConfigException(config.fullKey("max-frame-size"),
                    maxFrameSize + " is outside 1 .. " + (Integer.MAX_VALUE - Frames.HEADER_SIZE));
        }
        int connections = config.getInt("connections-per-peer", 2);
        if (connections < 1 || connections > 64) {
            throw new ConfigException(config.fullKey("connections-per-peer"), connections + " is outside 1 .. 64");
        }
        int ioThreads = config.getInt("io-threads", Runtime.getRuntime().availableProcessors());
        if (ioThreads < 1 || ioThreads > 256) {
            throw new ConfigException(config.fullKey("io-threads"), ioThreads + " is outside 1 .. 256");
        }
        Duration backoff = positive(config, "reconnect-backoff", Duration.ofMillis(100));
        Duration backoffMax = positive(config, "reconnect-backoff-max", Duration.ofSeconds(5));
        if (backoffMax.compareTo(backoff) < 0) {
            throw new ConfigException(config.fullKey("reconnect-backoff-max"),
                    backoffMax.toMillis() + "ms is below " + config.fullKey("reconnect-backoff"));
        }
        return new TcpConfig(
                (int) maxFrameSize,
                connections,
                positive(config, "connect-timeout", Duration.ofSeconds(2)),
                config.getDuration("idle-timeout", Duration.ofSeconds(60)),
                ioThreads,
                config.getBoolean("native", true),
                backoff,
                backoffMax,
                config.getDuration("shutdown-grace", Duration.ofSeconds(5)),
                secret(config),
                TlsConfig.from(config));
    }

    /** Whether idle connections are closed (and kept alive with pings); 0 turns it off. */
    boolean idleTimeoutEnabled() {
        return !idleTimeout.isZero();
    }

    private static Duration positive(PluginConfig config, String key, Duration defaultValue) {
        Duration value = config.getDuration(key, defaultValue);
        if (value.isZero()) {
            throw new ConfigException(config.fullKey(key), "must be above 0");
        }
        return value;
    }

    private static Optional<ClusterSecret> secret(PluginConfig config) {
        Optional<String> inline = config.get("secret");
        Optional<String> file = config.get("secret-file");
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(config.fullKey("secret"),
                    "give either it or " + config.fullKey("secret-file") + ", not both");
        }
        String secret;
        String key;
        if (inline.isPresent()) {
            secret = inline.get();
            key = "secret";
        } else if (file.isPresent()) {
            Path path = config.getPath("secret-file", null);
            key = "secret-file";
            try {
                secret = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(config.fullKey(key), "cannot read " + path.toAbsolutePath() + ": " + e);
            }
        } else {
            return Optional.empty();
        }
        if (secret.isEmpty()) {
            throw new ConfigException(config.fullKey(key), "the cluster secret is empty");
        }
        return Optional.of(new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8)));
    }
}

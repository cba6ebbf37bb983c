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
        Optional<ClusterSecret> clientSecret,
        Optional<ClusterSecret> adminSecret,
        TlsConfig tls,
        Limits limits) {

    /**
     * The server's bounds on what one caller, or all of them, can make it hold. See the README's
     * Configuration and Limits sections.
     */
    record Limits(
            Duration handshakeTimeout,
            int writeBufferLow,
            int writeBufferHigh,
            int maxRequestsPerConnection,
            long maxUnreadBytes,
            long maxBufferedBytes,
            int maxConnections,
            int maxUnauthenticatedConnections) {
        Limits {
            requireNonNull(handshakeTimeout, "handshakeTimeout is null");
            if (handshakeTimeout.isZero() || handshakeTimeout.isNegative()) {
                throw new IllegalArgumentException("handshakeTimeout must be above 0");
            }
            if (writeBufferLow < 1 || writeBufferHigh < writeBufferLow) {
                throw new IllegalArgumentException("write buffer water marks " + writeBufferLow + "/" + writeBufferHigh);
            }
            if (maxRequestsPerConnection < 1 || maxUnreadBytes < 1 || maxBufferedBytes < 1 || maxConnections < 1
                    || maxUnauthenticatedConnections < 1) {
                throw new IllegalArgumentException("request, byte and connection limits must be above 0");
            }
        }
    }

    static final int DEFAULT_MAX_FRAME_SIZE = 16 << 20;
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_WRITE_BUFFER_LOW = 256 << 10;
    static final int DEFAULT_WRITE_BUFFER_HIGH = 1 << 20;
    static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 1024;
    static final int DEFAULT_MAX_CONNECTIONS = 4096;
    static final int DEFAULT_MAX_UNAUTHENTICATED = 512;
    /** Every key {@link #from} reads, {@link TlsConfig}'s included: the node refuses others in {@code tcp.*}. */
    static final Set<String> KEYS = Stream.concat(Stream.of("max-frame-size", "connections-per-peer", "io-threads",
                    "reconnect-backoff", "reconnect-backoff-max", "connect-timeout", "idle-timeout", "native",
                    "shutdown-grace", "secret", "secret-file", "client-secret", "client-secret-file", "admin-secret",
                    "admin-secret-file", "handshake-timeout", "write-buffer-low", "write-buffer-high",
                    "max-requests-per-connection", "max-unread-bytes", "max-buffered-bytes", "max-connections",
                    "max-unauthenticated-connections"), TlsConfig.KEYS.stream())
            .collect(Collectors.toUnmodifiableSet());

    /** 64 MiB, or two of the largest frames when that is more: a slow reader of big answers is not cut off. */
    static long defaultMaxUnreadBytes(int maxFrameSize) {
        return Math.max(64L << 20, 2L * maxFrameSize);
    }

    /** 256 MiB, or four of the largest frames when that is more. */
    static long defaultMaxBufferedBytes(int maxFrameSize) {
        return Math.max(256L << 20, 4L * maxFrameSize);
    }

    TcpConfig {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(reconnectBackoffMax, "reconnectBackoffMax is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(clientSecret, "clientSecret is null");
        requireNonNull(adminSecret, "adminSecret is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(limits, "limits is null");
        if ((clientSecret.isPresent() || adminSecret.isPresent()) && secret.isEmpty()) {
            throw new IllegalArgumentException("client and admin secrets need the peer secret");
        }
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
        Optional<String> peerSecret = secretText(config, "secret");
        Optional<String> clientSecret = secretText(config, "client-secret");
        Optional<String> adminSecret = secretText(config, "admin-secret");
        if (peerSecret.isEmpty() && (clientSecret.isPresent() || adminSecret.isPresent())) {
            String given = clientSecret.isPresent() ? "client-secret" : "admin-secret";
            throw new ConfigException(config.fullKey(given), "a node that tells clients and admins apart needs "
                    + config.fullKey("secret") + " (or " + config.fullKey("secret-file")
                    + "), the secret of its peers, too");
        }
        distinct(config, "secret", peerSecret, "client-secret", clientSecret);
        distinct(config, "secret", peerSecret, "admin-secret", adminSecret);
        distinct(config, "client-secret", clientSecret, "admin-secret", adminSecret);
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
                peerSecret.map(TcpConfig::clusterSecret),
                clientSecret.map(TcpConfig::clusterSecret),
                adminSecret.map(TcpConfig::clusterSecret),
                TlsConfig.from(config),
                limits(config, (int) maxFrameSize));
    }

    private static Limits limits(PluginConfig config, int maxFrameSize) {
        Duration handshakeTimeout = positive(config, "handshake-timeout", DEFAULT_HANDSHAKE_TIMEOUT);
        long low = sizeWithin(config, "write-buffer-low", DEFAULT_WRITE_BUFFER_LOW, 1, Integer.MAX_VALUE);
        long high = sizeWithin(config, "write-buffer-high", DEFAULT_WRITE_BUFFER_HIGH, 1, Integer.MAX_VALUE);
        if (high < low) {
            throw new ConfigException(config.fullKey("write-buffer-high"),
                    high + " is below " + config.fullKey("write-buffer-low") + " (" + low + ")");
        }
        int maxRequests = config.getInt("max-requests-per-connection", DEFAULT_MAX_REQUESTS_PER_CONNECTION);
        if (maxRequests < 1 || maxRequests > 1 << 20) {
            throw new ConfigException(config.fullKey("max-requests-per-connection"), maxRequests
                    + " is outside 1 .. " + (1 << 20));
        }
        long maxUnread = sizeWithin(config, "max-unread-bytes", defaultMaxUnreadBytes(maxFrameSize),
                (long) maxFrameSize + high, Long.MAX_VALUE);
        long maxBuffered = sizeWithin(config, "max-buffered-bytes", defaultMaxBufferedBytes(maxFrameSize),
                maxFrameSize, Long.MAX_VALUE);
        int maxConnections = config.getInt("max-connections", DEFAULT_MAX_CONNECTIONS);
        if (maxConnections < 1) {
            throw new ConfigException(config.fullKey("max-connections"), maxConnections + " is below 1");
        }
        int maxUnauthenticated = config.getInt("max-unauthenticated-connections",
                Math.min(DEFAULT_MAX_UNAUTHENTICATED, maxConnections));
        if (maxUnauthenticated < 1 || maxUnauthenticated > maxConnections) {
            throw new ConfigException(config.fullKey("max-unauthenticated-connections"), maxUnauthenticated
                    + " is outside 1 .. " + config.fullKey("max-connections") + " (" + maxConnections + ")");
        }
        return new Limits(handshakeTimeout, (int) low, (int) high, maxRequests, maxUnread, maxBuffered,
                maxConnections, maxUnauthenticated);
    }

    /** A size setting within {@code min .. max}; the error names what the minimum comes from. */
    private static long sizeWithin(PluginConfig config, String key, long defaultValue, long min, long max) {
        long value = config.getSize(key, defaultValue);
        if (value < min || value > max) {
            String why = switch (key) {
                case "max-unread-bytes" -> " (at least " + config.fullKey("max-frame-size") + " plus "
                        + config.fullKey("write-buffer-high") + ")";
                case "max-buffered-bytes" -> " (at least " + config.fullKey("max-frame-size") + ")";
                default -> "";
            };
            throw new ConfigException(config.fullKey(key), value + " is outside " + min + " .. " + max + why);
        }
        return value;
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

    /** The secret given inline as {@code key} or in the file {@code key-file}; at most one of them. */
    private static Optional<String> secretText(PluginConfig config, String key) {
        String fileKey = key + "-file";
        Optional<String> inline = config.get(key);
        Optional<String> file = config.get(fileKey);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(config.fullKey(key),
                    "give either it or " + config.fullKey(fileKey) + ", not both");
        }
        String secret;
        String givenAs;
        if (inline.isPresent()) {
            secret = inline.get();
            givenAs = key;
        } else if (file.isPresent()) {
            Path path = config.getPath(fileKey, null);
            givenAs = fileKey;
            try {
                secret = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(config.fullKey(fileKey), "cannot read " + path.toAbsolutePath() + ": " + e);
            }
        } else {
            return Optional.empty();
        }
        if (secret.isBlank()) {
            throw new ConfigException(config.fullKey(givenAs), "the secret is empty");
        }
        return Optional.of(secret);
    }

    /** Two roles sharing a secret could not be told apart: refuse it, naming both settings. */
    private static void distinct(PluginConfig config, String key, Optional<String> secret, String otherKey,
            Optional<String> other) {
        if (secret.isPresent() && secret.equals(other)) {
            throw new ConfigException(config.fullKey(otherKey), "is the same secret as " + config.fullKey(key)
                    + "; each role needs its own secret");
        }
    }

    private static ClusterSecret clusterSecret(String secret) {
        return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
    }
}

package io.dynamo.transport.tcp;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * TLS settings ({@code tcp.tls.*}). Key material is a PEM certificate chain plus a PKCS#8 PEM
 * key, or a PKCS#12 key store; trust is a PEM file of trusted certificates, a PKCS#12 trust
 * store, or the JDK's default trust store when neither is given.
 */
record TlsConfig(
        boolean enabled,
        Optional<Path> cert,
        Optional<Path> key,
        Optional<String> keyPassword,
        Optional<Path> keyStore,
        Optional<String> keyStorePassword,
        Optional<Path> trust,
        Optional<Path> trustStore,
        Optional<String> trustStorePassword,
        ClientAuthMode clientAuth,
        boolean verifyHostname) {

    /** Whether a server asks its clients for a certificate. */
    enum ClientAuthMode {
        NONE,
        OPTIONAL,
        REQUIRE
    }

    TlsConfig {
        requireNonNull(cert, "cert is null");
        requireNonNull(key, "key is null");
        requireNonNull(keyPassword, "keyPassword is null");
        requireNonNull(keyStore, "keyStore is null");
        requireNonNull(keyStorePassword, "keyStorePassword is null");
        requireNonNull(trust, "trust is null");
        requireNonNull(trustStore, "trustStore is null");
        requireNonNull(trustStorePassword, "trustStorePassword is null");
        requireNonNull(clientAuth, "clientAuth is null");
    }

    static TlsConfig disabled() {
        return new TlsConfig(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ClientAuthMode.NONE, false);
    }

    /** The {@code tcp.tls.*} keys {@link #from} reads. */
    static final Set<String> KEYS = Set.of("tls.enabled", "tls.cert", "tls.key", "tls.key-password", "tls.keystore",
            "tls.keystore-password", "tls.trust", "tls.truststore", "tls.truststore-password", "tls.client-auth",
            "tls.verify-hostname");

    /** Whether this node has a certificate to present (needed to serve, and for mutual TLS). */
    boolean hasKeyMaterial() {
        return cert.isPresent() || keyStore.isPresent();
    }

    static TlsConfig from(PluginConfig config) {
        boolean enabled = config.getBoolean("tls.enabled", false);
        Optional<Path> cert = file(config, "tls.cert");
        Optional<Path> key = file(config, "tls.key");
        Optional<Path> keyStore = file(config, "tls.keystore");
        Optional<Path> trust = file(config, "tls.trust");
        Optional<Path> trustStore = file(config, "tls.truststore");
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "tls.key" : "tls.cert";
            throw new ConfigException(config.fullKey(missing), "is required together with "
                    + config.fullKey(cert.isPresent() ? "tls.cert" : "tls.key"));
        }
        if (cert.isPresent() && keyStore.isPresent()) {
            throw new ConfigException(config.fullKey("tls.keystore"), "give either "
                    + config.fullKey("tls.cert") + "/" + config.fullKey("tls.key") + " or a key store, not both");
        }
        if (trust.isPresent() && trustStore.isPresent()) {
            throw new ConfigException(config.fullKey("tls.truststore"), "give either "
                    + config.fullKey("tls.trust") + " or a trust store, not both");
        }
        ClientAuthMode clientAuth;
        String rawClientAuth = config.getString("tls.client-auth", "require");
        try {
            clientAuth = ClientAuthMode.valueOf(rawClientAuth.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.fullKey("tls.client-auth"),
                    "'" + rawClientAuth + "' is not one of none, optional, require");
        }
        return new TlsConfig(enabled, cert, key, config.get("tls.key-password"), keyStore,
                config.get("tls.keystore-password"), trust, trustStore, config.get("tls.truststore-password"),
                clientAuth, config.getBoolean("tls.verify-hostname", true));
    }

    private static Optional<Path> file(PluginConfig config, String key) {
        Optional<Path> path = config.get(key).isEmpty() ? Optional.empty() : Optional.of(config.getPath(key, null));
        if (path.isPresent() && !Files.isReadable(path.get())) {
            throw new ConfigException(config.fullKey(key), "file " + path.get().toAbsolutePath() + " is not readable");
        }
        return path;
    }
}

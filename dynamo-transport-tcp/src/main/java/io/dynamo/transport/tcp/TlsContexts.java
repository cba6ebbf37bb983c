package io.dynamo.transport.tcp;

import io.dynamo.spi.ConfigException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS contexts of one transport: a client context always (with our certificate when we
 * have one, for servers that require client authentication) and a server context when we have
 * key material. Built once, when the transport is made, so bad files fail the node at start.
 */
final class TlsContexts {
    private final Optional<SslContext> server;
    private final SslContext client;

    private TlsContexts(Optional<SslContext> server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    static TlsContexts build(TlsConfig tls) {
        try {
            Optional<KeyManagerFactory> keys = keyStoreKeys(tls);
            TrustManagerFactory trust = trustStoreTrust(tls).orElse(null);

            Optional<SslContext> server = Optional.empty();
            if (tls.hasKeyMaterial()) {
                SslContextBuilder builder = keys.isPresent()
                        ? SslContextBuilder.forServer(keys.get())
                        : SslContextBuilder.forServer(tls.cert().get().toFile(), tls.key().get().toFile(),
                                tls.keyPassword().orElse(null));
                trust(builder, tls, trust);
                builder.clientAuth(switch (tls.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRE -> ClientAuth.REQUIRE;
                });
                server = Optional.of(builder.build());
            }

            SslContextBuilder clientBuilder = SslContextBuilder.forClient();
            if (keys.isPresent()) {
                clientBuilder.keyManager(keys.get());
            } else if (tls.cert().isPresent()) {
                clientBuilder.keyManager(tls.cert().get().toFile(), tls.key().get().toFile(),
                        tls.keyPassword().orElse(null));
            }
            trust(clientBuilder, tls, trust);
            clientBuilder.endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
            return new TlsContexts(server, clientBuilder.build());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("tcp.tls", "cannot load the TLS key material or trust: " + e.getMessage());
        }
    }

    /** The server context; fails when this node has no certificate to serve with. */
    SslContext server() {
        return server.orElseThrow(() -> new ConfigException("tcp.tls.enabled",
                "serving over TLS needs tcp.tls.cert and tcp.tls.key, or tcp.tls.keystore"));
    }

    SslContext client() {
        return client;
    }

    private static void trust(SslContextBuilder builder, TlsConfig tls, TrustManagerFactory trust) {
        if (trust != null) {
            builder.trustManager(trust);
        } else if (tls.trust().isPresent()) {
            builder.trustManager(tls.trust().get().toFile());
        }
        // neither: the JDK's default trust store
    }

    private static Optional<KeyManagerFactory> keyStoreKeys(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (tls.keyStore().isEmpty()) {
            return Optional.empty();
        }
        char[] password = tls.keyStorePassword().orElse("").toCharArray();
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(tls.keyStore().get(), password), password);
        return Optional.of(factory);
    }

    private static Optional<TrustManagerFactory> trustStoreTrust(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (tls.trustStore().isEmpty()) {
            return Optional.empty();
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(tls.trustStore().get(), tls.trustStorePassword().orElse("").toCharArray()));
        return Optional.of(factory);
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}

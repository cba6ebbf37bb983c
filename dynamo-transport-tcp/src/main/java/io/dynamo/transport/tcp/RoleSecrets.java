package io.dynamo.transport.tcp;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.transport.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets a server accepts, one per {@link Role}: the peer secret ({@code tcp.secret}) and,
 * when set, the client and admin secrets. The secret a caller proves decides its role.
 */
final class RoleSecrets {
    private final Map<Role, ClusterSecret> secrets;

    private RoleSecrets(Map<Role, ClusterSecret> secrets) {
        this.secrets = secrets;
    }

    /** The server's secrets from its config; empty when it has no peer secret (then no one proves anything). */
    static Optional<RoleSecrets> of(TcpConfig config) {
        if (config.secret().isEmpty()) {
            return Optional.empty();
        }
        Map<Role, ClusterSecret> secrets = new EnumMap<>(Role.class);
        secrets.put(Role.PEER, config.secret().get());
        config.adminSecret().ifPresent(s -> secrets.put(Role.ADMIN, s));
        config.clientSecret().ifPresent(s -> secrets.put(Role.CLIENT, s));
        return Optional.of(new RoleSecrets(secrets));
    }

    /** Any of the secrets, to make nonces with. */
    ClusterSecret any() {
        return secrets.get(Role.PEER);
    }

    /**
     * The role whose secret made {@code proof}, or empty. Every secret is tried and compared in
     * constant time, so the time taken does not tell which role came close.
     */
    Optional<Role> roleOf(byte[] serverNonce, byte[] clientNonce, byte[] proof) {
        Role matched = null;
        for (Map.Entry<Role, ClusterSecret> entry : secrets.entrySet()) {
            if (ClusterSecret.matches(entry.getValue().clientProof(serverNonce, clientNonce), proof)) {
                matched = entry.getKey();
            }
        }
        return Optional.ofNullable(matched);
    }

    /** The server's answer proving the secret of {@code role}. */
    byte[] serverProof(Role role, byte[] serverNonce, byte[] clientNonce) {
        return requireNonNull(secrets.get(role), "no secret for " + role).serverProof(serverNonce, clientNonce);
    }

    /** The roles that have a secret, for the start-up log line. */
    String roles() {
        return secrets.keySet().toString().toLowerCase();
    }
}

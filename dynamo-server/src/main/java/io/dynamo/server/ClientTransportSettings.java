package io.dynamo.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.PluginConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of the client commands' {@code tcp} transport: a cluster that requires a secret
 * or TLS needs them on the client too. They are the {@code tcp.*} keys of a node config file
 * (so a client reuses the config its nodes run with), replaced by {@code --set tcp.KEY=VALUE}.
 */
final class ClientTransportSettings {
    private static final String PREFIX = Connections.TRANSPORT + ".";

    private ClientTransportSettings() {}

    /**
     * The {@code tcp} section of {@code configFile} (none when null) with {@code overrides}
     * applied; every override key must start with {@code tcp.}.
     */
    static PluginConfig of(Path configFile, Map<String, String> overrides) {
        Map<String, String> section = new HashMap<>();
        if (configFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidArgumentException("cannot read the config file " + configFile + ": " + e.getMessage(), e);
            }
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(PREFIX)) {
                    section.put(key.substring(PREFIX.length()), properties.getProperty(key).trim());
                }
            }
        }
        overrides.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                throw new InvalidArgumentException("--set " + key + ": a client command takes only the transport's "
                        + PREFIX + "* keys, e.g. --set " + PREFIX + "secret-file=FILE");
            }
            section.put(key.substring(PREFIX.length()), value.trim());
        });
        return new PluginConfig(Connections.TRANSPORT, section);
    }
}

package io.dynamo.core.messages;

import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.messages.Message.PluginList;
import io.dynamo.core.messages.Message.Plugins;
import io.dynamo.core.plugin.PluginDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plugin listing part of {@link MessageCodec}:
 * <pre>
 * 18    Plugins     (nothing)
 * 77    PluginList  count, (name, extension point, source, code location, SPI version,
 *                   settings (byte 0: not listed, or 1, count, keys))*
 * </pre>
 * Counts are bounded by the bytes left (every entry and key takes at least one) and by
 * {@link PluginList#MAX_PLUGINS}.
 */
final class PluginListCodec {
    static final int PLUGINS = 18;
    static final int PLUGIN_LIST = 77;

    private PluginListCodec() {}

    static boolean handles(int type) {
        return type == PLUGINS || type == PLUGIN_LIST;
    }

    static boolean write(Message message, BytesOut out) {
        if (message instanceof Plugins) {
            out.writeByte(PLUGINS);
        } else if (message instanceof PluginList m) {
            out.writeByte(PLUGIN_LIST).writeVarInt(m.plugins().size());
            for (PluginDescription plugin : m.plugins()) {
                out.writeString(plugin.name()).writeString(plugin.extensionPoint()).writeString(plugin.source())
                        .writeString(plugin.codeLocation()).writeString(plugin.spiVersion());
                if (plugin.settingKeys().isEmpty()) {
                    out.writeByte(0);
                } else {
                    out.writeByte(1).writeVarInt(plugin.settingKeys().get().size());
                    plugin.settingKeys().get().forEach(out::writeString);
                }
            }
        } else {
            return false;
        }
        return true;
    }

    static Message read(int type, BytesIn in) {
        if (type == PLUGINS) {
            return new Plugins();
        }
        int count = in.readLength(Math.min(in.remaining(), PluginList.MAX_PLUGINS));
        List<PluginDescription> plugins = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            String extensionPoint = in.readString();
            String source = in.readString();
            String codeLocation = in.readString();
            String spiVersion = in.readString();
            int listed = in.readByte();
            Optional<List<String>> keys = switch (listed) {
                case 0 -> Optional.empty();
                case 1 -> {
                    int keyCount = in.readLength(in.remaining());
                    List<String> read = new ArrayList<>(keyCount);
                    for (int k = 0; k < keyCount; k++) {
                        read.add(in.readString());
                    }
                    yield Optional.of(read);
                }
                default -> throw new MalformedDataException("bad settings marker " + listed);
            };
            plugins.add(new PluginDescription(name, extensionPoint, source, codeLocation, spiVersion, keys));
        }
        return new PluginList(plugins);
    }
}

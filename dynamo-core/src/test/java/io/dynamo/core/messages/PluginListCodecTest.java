package io.dynamo.core.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.plugin.PluginDescription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginListCodecTest {
    @Test
    void aListOfPluginsRoundTripsWithAndWithoutListedSettings() {
        Message.PluginList list = new Message.PluginList(List.of(
                new PluginDescription("tcp", "transport", "class path", "file:/lib/tcp.jar", "2",
                        Optional.of(List.of("io-threads", "secret-file"))),
                new PluginDescription("skiplist", "storage engine", "plugins/skiplist", "file:/plugins/skiplist/a.jar", "none",
                        Optional.empty())));

        assertEquals(list, MessageCodec.decode(MessageCodec.encode(list)));
        assertEquals(new Message.Plugins(), MessageCodec.decode(MessageCodec.encode(new Message.Plugins())));
    }

    @Test
    void aCountBeyondTheLimitOrTheBytesIsRefusedBeforeAnythingIsAllocated() {
        byte[] tooMany = new BytesOut().writeByte(MessageCodec.VERSION).writeByte(PluginListCodec.PLUGIN_LIST)
                .writeVarInt(Message.PluginList.MAX_PLUGINS + 1).toByteArray();
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(tooMany));

        byte[] badMarker = new BytesOut().writeByte(MessageCodec.VERSION).writeByte(PluginListCodec.PLUGIN_LIST)
                .writeVarInt(1).writeString("a").writeString("b").writeString("c").writeString("d").writeString("e")
                .writeByte(7).toByteArray();
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(badMarker));
    }
}

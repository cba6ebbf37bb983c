package io.dynamo.core.messages;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.messages.Message.CreateStore;
import io.dynamo.core.messages.Message.DropStore;
import io.dynamo.core.messages.Message.ListStores;
import io.dynamo.core.messages.Message.StoreList;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.StoreCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store catalog part of {@link MessageCodec}, and the catalog in the gossip state:
 * <pre>
 * 26    CreateStore  name, settings
 * 27    DropStore    name
 * 28    ListStores   (nothing)
 * 79    StoreList    count, entry*
 *
 * catalog  = count, entry*
 * entry    = name, version, origin, dropped (0 or 1), settings
 * settings = count, (key, value)*
 * </pre>
 * Counts are bounded by the bytes left and by the catalog's limits; every name, key, value and
 * origin is checked as a {@link CatalogEntry} checks it; a key or a store named twice, or the
 * {@code default} store in a gossiped catalog, is malformed.
 */
final class StoreCatalogCodec {
    static final int CREATE_STORE = 26;
    static final int DROP_STORE = 27;
    static final int LIST_STORES = 28;
    static final int STORE_LIST = 79;

    private StoreCatalogCodec() {}

    static boolean handles(int type) {
        return type == CREATE_STORE || type == DROP_STORE || type == LIST_STORES || type == STORE_LIST;
    }

    static boolean write(Message message, BytesOut out) {
        if (message instanceof CreateStore m) {
            out.writeByte(CREATE_STORE).writeString(m.name());
            writeSettings(m.settings(), out);
        } else if (message instanceof DropStore m) {
            out.writeByte(DROP_STORE).writeString(m.name());
        } else if (message instanceof ListStores) {
            out.writeByte(LIST_STORES);
        } else if (message instanceof StoreList m) {
            out.writeByte(STORE_LIST);
            writeEntries(m.stores(), out);
        } else {
            return false;
        }
        return true;
    }

    static Message read(int type, BytesIn in) {
        try {
            return switch (type) {
                case CREATE_STORE -> new CreateStore(in.readString(), readSettings(in));
                case DROP_STORE -> new DropStore(in.readString());
                case LIST_STORES -> new ListStores();
                case STORE_LIST -> new StoreList(readEntries(in, StoreList.MAX_STORES));
                default -> throw new MalformedDataException("unknown message type " + type);
            };
        } catch (InvalidArgumentException e) {
            throw new MalformedDataException(e.getMessage());
        }
    }

    static void writeCatalog(StoreCatalog catalog, BytesOut out) {
        writeEntries(List.copyOf(catalog.entries().values()), out);
    }

    static StoreCatalog readCatalog(BytesIn in) {
        try {
            return StoreCatalog.of(readEntries(in, StoreCatalog.MAX_ENTRIES));
        } catch (InvalidArgumentException e) {
            throw new MalformedDataException("malformed store catalog: " + e.getMessage());
        }
    }

    private static void writeEntries(List<CatalogEntry> entries, BytesOut out) {
        out.writeVarInt(entries.size());
        for (CatalogEntry entry : entries) {
            out.writeString(entry.name()).writeVarLong(entry.version()).writeString(entry.origin())
                    .writeByte(entry.dropped() ? 1 : 0);
            writeSettings(entry.settings(), out);
        }
    }

    private static List<CatalogEntry> readEntries(BytesIn in, int max) {
        int count = in.readLength(Math.min(in.remaining() / 5, max)); // an entry takes at least 5 bytes
        List<CatalogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            long version = in.readVarLong();
            String origin = in.readString();
            int dropped = in.readByte();
            if (dropped > 1) {
                throw new MalformedDataException("bad dropped flag " + dropped);
            }
            entries.add(new CatalogEntry(name, readSettings(in), version, origin, dropped == 1));
        }
        return entries;
    }

    private static void writeSettings(Map<String, String> settings, BytesOut out) {
        out.writeVarInt(settings.size());
        new TreeMap<>(settings).forEach((key, value) -> out.writeString(key).writeString(value));
    }

    private static TreeMap<String, String> readSettings(BytesIn in) {
        int count = in.readLength(Math.min(in.remaining() / 2, CatalogEntry.MAX_SETTINGS));
        TreeMap<String, String> settings = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readString();
            if (key.length() > CatalogEntry.MAX_VALUE_LENGTH) {
                throw new MalformedDataException("store setting key of " + key.length() + " characters");
            }
            if (settings.put(key, in.readString()) != null) {
                throw new MalformedDataException("store setting " + key + " appears twice");
            }
        }
        return settings;
    }
}

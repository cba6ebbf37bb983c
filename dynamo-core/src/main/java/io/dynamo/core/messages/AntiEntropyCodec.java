package io.dynamo.core.messages;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.core.messages.Message.CollectTombstones;
import io.dynamo.core.messages.Message.KeyDigest;
import io.dynamo.core.messages.Message.KeyVersions;
import io.dynamo.core.messages.Message.LeafDigests;
import io.dynamo.core.messages.Message.LeafKeys;
import io.dynamo.core.messages.Message.Reconcile;
import io.dynamo.core.messages.Message.Reconciled;
import io.dynamo.core.messages.Message.Repair;
import io.dynamo.core.messages.Message.Repaired;
import io.dynamo.core.messages.Message.TreeHashes;
import io.dynamo.core.messages.Message.TreeNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The anti-entropy part of {@link MessageCodec}: the types and layouts listed there. */
final class AntiEntropyCodec {
    static final int TREE_NODES = 8;
    static final int LEAF_KEYS = 9;
    static final int RECONCILE = 10;
    static final int COLLECT_TOMBSTONES = 11;
    static final int REPAIR = 12;
    static final int TREE_HASHES = 69;
    static final int LEAF_DIGESTS = 70;
    static final int RECONCILED = 71;
    static final int REPAIRED = 72;

    private AntiEntropyCodec() {}

    /** Writes {@code message} (after the version byte) if it is an anti-entropy message; returns whether it was. */
    static boolean write(Message message, BytesOut out) {
        if (message instanceof TreeNodes m) {
            out.writeByte(TREE_NODES).writeVarInt(m.partition()).writeVarInt(m.depth()).writeVarInt(m.level());
            writeInts(m.indices(), out);
        } else if (message instanceof LeafKeys m) {
            out.writeByte(LEAF_KEYS).writeVarInt(m.partition()).writeVarInt(m.depth());
            writeInts(m.leaves(), out);
        } else if (message instanceof Reconcile m) {
            out.writeByte(RECONCILE).writeVarInt(m.partition());
            writeKeyVersions(m.keys(), out);
        } else if (message instanceof CollectTombstones m) {
            out.writeByte(COLLECT_TOMBSTONES).writeVarInt(m.partition());
            writeKeyVersions(m.tombstones(), out);
        } else if (message instanceof Repair m) {
            out.writeByte(REPAIR);
            if (m.partition().isPresent()) {
                out.writeByte(1).writeVarInt(m.partition().get());
            } else {
                out.writeByte(0);
            }
        } else if (message instanceof TreeHashes m) {
            out.writeByte(TREE_HASHES).writeVarInt(m.hashes().size());
            for (long hash : m.hashes()) {
                out.writeLong(hash);
            }
        } else if (message instanceof LeafDigests m) {
            out.writeByte(LEAF_DIGESTS).writeVarInt(m.keys().size());
            for (KeyDigest k : m.keys()) {
                out.writeBytes(k.key()).writeLong(k.digest());
            }
        } else if (message instanceof Reconciled m) {
            out.writeByte(RECONCILED);
            writeKeyVersions(m.keys(), out);
        } else if (message instanceof Repaired m) {
            out.writeByte(REPAIRED).writeVarLong(m.partitions()).writeVarLong(m.exchanges())
                    .writeVarLong(m.failedExchanges()).writeVarLong(m.keysCompared()).writeVarLong(m.keysDiffering())
                    .writeVarLong(m.keysSent()).writeVarLong(m.bytesSent()).writeVarLong(m.treeNodesExchanged())
                    .writeVarLong(m.tombstonesCollected());
        } else {
            return false;
        }
        return true;
    }

    /** Reads the body of an anti-entropy message of {@code type}; an unknown type is malformed. */
    static Message read(int type, BytesIn in) {
        return switch (type) {
            case TREE_NODES -> {
                int partition = readPartition(in);
                int depth = in.readLength(Message.MAX_TREE_DEPTH);
                int level = in.readLength(Message.MAX_TREE_DEPTH);
                yield new TreeNodes(partition, depth, level, readInts(in));
            }
            case LEAF_KEYS -> {
                int partition = readPartition(in);
                int depth = in.readLength(Message.MAX_TREE_DEPTH);
                yield new LeafKeys(partition, depth, readInts(in));
            }
            case RECONCILE -> new Reconcile(readPartition(in), readKeyVersions(in));
            case COLLECT_TOMBSTONES -> new CollectTombstones(readPartition(in), readKeyVersions(in));
            case REPAIR -> {
                int present = in.readByte();
                yield switch (present) {
                    case 0 -> new Repair(Optional.empty());
                    case 1 -> new Repair(Optional.of(readPartition(in)));
                    default -> throw new MalformedDataException("bad optional marker " + present);
                };
            }
            case TREE_HASHES -> {
                int count = in.readLength(in.remaining() / 8);
                List<Long> hashes = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    hashes.add(in.readLong());
                }
                yield new TreeHashes(hashes);
            }
            case LEAF_DIGESTS -> {
                int count = in.readLength(in.remaining() / 9);
                List<KeyDigest> keys = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Bytes key = in.readByteString();
                    keys.add(new KeyDigest(key, in.readLong()));
                }
                yield new LeafDigests(keys);
            }
            case RECONCILED -> new Reconciled(readKeyVersions(in));
            case REPAIRED -> new Repaired(in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                    in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong());
            default -> throw new MalformedDataException("unknown message type " + type);
        };
    }

    private static void writeInts(List<Integer> values, BytesOut out) {
        out.writeVarInt(values.size());
        for (int value : values) {
            out.writeVarInt(value);
        }
    }

    private static List<Integer> readInts(BytesIn in) {
        int count = in.readLength(in.remaining());
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readLength(Integer.MAX_VALUE));
        }
        return values;
    }

    static void writeKeyVersions(List<KeyVersions> keys, BytesOut out) {
        out.writeVarInt(keys.size());
        for (KeyVersions k : keys) {
            out.writeBytes(k.key());
            VersionedCodec.write(k.versions(), out);
        }
    }

    static List<KeyVersions> readKeyVersions(BytesIn in) {
        int count = in.readLength(in.remaining() / 3);
        List<KeyVersions> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Bytes key = in.readByteString();
            List<Versioned> versions = VersionedCodec.read(in);
            keys.add(new KeyVersions(key, versions));
        }
        return keys;
    }

    private static int readPartition(BytesIn in) {
        return in.readLength(Integer.MAX_VALUE);
    }
}

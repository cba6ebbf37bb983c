package io.dynamo.core.messages;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.core.messages.Message.Ack;
import io.dynamo.core.messages.Message.ClientDelete;
import io.dynamo.core.messages.Message.ClientGet;
import io.dynamo.core.messages.Message.ClientPut;
import io.dynamo.core.messages.Message.Conflict;
import io.dynamo.core.messages.Message.Error;
import io.dynamo.core.messages.Message.HintDelivery;
import io.dynamo.core.messages.Message.Ping;
import io.dynamo.core.messages.Message.ReadResult;
import io.dynamo.core.messages.Message.ReplicaRead;
import io.dynamo.core.messages.Message.ReplicaWrite;
import io.dynamo.core.messages.Message.Versions;
import io.dynamo.core.messages.Message.Written;
import java.util.List;
import java.util.Optional;

/**
 * The binary form of every {@link Message}: a version byte ({@value #VERSION}), a type byte,
 * then the body. Integers are unsigned LEB128 varints, byte strings and text are
 * length-prefixed, versions use {@link VersionedCodec}, clocks {@link VectorClock#writeTo}.
 *
 * <pre>
 * type  message        body
 *  1    ClientGet      key, quorum, timeoutMillis, flags(bit0 forwarded, bit1 pr), [pr]
 *  2    ClientPut      key, value, context clock, quorum, timeoutMillis, flags(bit0 forwarded, bit1 write id,
 *                      bit2 deadline, bit3 pw, bit4 if-unmodified), [write id: 8-byte client id, sequence],
 *                      [deadline epoch millis], [pw]
 *  3    ClientDelete   key, context clock, quorum, timeoutMillis, flags, [write id], [deadline], [pw]
 *  4    ReplicaRead    key, optional hint owner
 *  5    ReplicaWrite   key, versions, optional hint owner (marker bit1: if-unmodified)
 *  6    HintDelivery   key, versions, holder
 *  7    Ping           from
 * 64    Versions       versions
 * 65    ReadResult     versions, context clock
 * 66    Written        clock
 * 67    Ack            (nothing)
 * 68    Error          code, message, operation, required, answered, asked
 * 80    Conflict       versions, context clock
 *  8    TreeNodes      partition, depth, level, count, indices
 *  9    LeafKeys       partition, depth, count, leaves
 * 10    Reconcile      partition, count, (key, versions)*
 * 11    CollectTombstones partition, count, (key, versions)*
 * 12    Repair         optional partition (byte 0, or 1 and the partition)
 * 69    TreeHashes     count, 8-byte hashes (big-endian)
 * 70    LeafDigests    count, (key, 8-byte digest)*
 * 71    Reconciled     count, (key, versions)*
 * 72    Repaired       partitions, exchanges, failed, compared, differing, sent, bytes, tree nodes, collected
 * 13-17, 22-25, 73-76, 78  membership, routing and operations: see MembershipCodec (Gossip, StreamPartition,
 *                     Decommission, Routing, HoldsPartitions, RemoveNode, ReplaceNode, Hints, Drain, GossipAck,
 *                     StreamBatch, RoutingTable, HeldPartitions, HintCounts)
 * 18, 77              Plugins, PluginList: see PluginListCodec
 * 19    InStore        store name, then the inner request's type byte and body (a store-scoped request, never
 *                      another InStore); requests for the default store are sent without it
 * 26-28, 79           CreateStore, DropStore, ListStores, StoreList: see StoreCatalogCodec
 * </pre>
 * An optional string is a byte 0 (absent) or 1 followed by the string. A bracketed field is
 * present only when its flag is set, so a request without pr/pw or a condition encodes as it did
 * before they existed; a pr/pw present on the wire is between 1 and 255.
 *
 * <p>Decoding is strict: an unknown version, type, flag or code, a truncated body, trailing
 * bytes or an invalid field all throw {@link MalformedDataException}, and nothing else, for any
 * input. Stateless and thread-safe.
 */
public final class MessageCodec {
    /** The protocol version this build speaks; a message of another version is refused. */
    public static final int VERSION = 1;

    private static final int CLIENT_GET = 1;
    private static final int CLIENT_PUT = 2;
    private static final int CLIENT_DELETE = 3;
    private static final int REPLICA_READ = 4;
    private static final int REPLICA_WRITE = 5;
    private static final int HINT_DELIVERY = 6;
    private static final int PING = 7;
    private static final int IN_STORE = 19;
    private static final int VERSIONS = 64;
    private static final int READ_RESULT = 65;
    private static final int WRITTEN = 66;
    private static final int ACK = 67;
    private static final int ERROR = 68;
    private static final int CONFLICT = 80;

    private static final int FORWARDED = 1;
    private static final int WRITE_ID = 2;
    private static final int DEADLINE = 4;
    private static final int PRIMARIES = 8;
    private static final int IF_UNMODIFIED = 16;
    private static final int REPLICA_IF_UNMODIFIED = 2;
    /** A read's flag for pr: bit1, as a read has no write id. */
    private static final int READ_PRIMARIES = 2;
    private static final long MAX_TIMEOUT_MILLIS = 24L * 3600 * 1000;

    private MessageCodec() {}

    public static byte[] encode(Message message) {
        if (message == null) {
            throw new IllegalArgumentException("message is null");
        }
        BytesOut out = new BytesOut(64);
        out.writeByte(VERSION);
        if (message instanceof Message.InStore m) {
            byte[] inner = encode(m.request());
            out.writeByte(IN_STORE).writeString(m.store());
            out.writeRaw(inner, 1, inner.length - 1); // the inner type and body, without a second version byte
        } else if (message instanceof ClientGet m) {
            out.writeByte(CLIENT_GET).writeBytes(m.key());
            out.writeVarInt(m.quorum()).writeVarLong(m.timeoutMillis())
                    .writeByte((m.forwarded() ? FORWARDED : 0) | (m.primaries() != 0 ? READ_PRIMARIES : 0));
            if (m.primaries() != 0) {
                out.writeVarInt(m.primaries());
            }
        } else if (message instanceof ClientPut m) {
            out.writeByte(CLIENT_PUT).writeBytes(m.key()).writeBytes(m.value());
            m.context().writeTo(out);
            writeWriteOptions(out, m.quorum(), m.timeoutMillis(), m.forwarded(), m.writeId(), m.deadlineMillis(),
                    m.primaries(), m.ifUnmodified());
        } else if (message instanceof ClientDelete m) {
            out.writeByte(CLIENT_DELETE).writeBytes(m.key());
            m.context().writeTo(out);
            writeWriteOptions(out, m.quorum(), m.timeoutMillis(), m.forwarded(), m.writeId(), m.deadlineMillis(),
                    m.primaries(), m.ifUnmodified());
        } else if (message instanceof ReplicaRead m) {
            out.writeByte(REPLICA_READ).writeBytes(m.key());
            writeOptional(out, m.hintFor());
        } else if (message instanceof ReplicaWrite m) {
            out.writeByte(REPLICA_WRITE).writeBytes(m.key());
            VersionedCodec.write(m.versions(), out);
            // the optional's marker byte carries the condition in bit1: unconditional writes encode as before
            out.writeByte((m.hintFor().isPresent() ? 1 : 0) | (m.ifUnmodified() ? REPLICA_IF_UNMODIFIED : 0));
            m.hintFor().ifPresent(out::writeString);
        } else if (message instanceof HintDelivery m) {
            out.writeByte(HINT_DELIVERY).writeBytes(m.key());
            VersionedCodec.write(m.versions(), out);
            out.writeString(m.holder());
        } else if (message instanceof Ping m) {
            out.writeByte(PING).writeString(m.from());
        } else if (message instanceof Versions m) {
            out.writeByte(VERSIONS);
            VersionedCodec.write(m.versions(), out);
        } else if (message instanceof ReadResult m) {
            out.writeByte(READ_RESULT);
            VersionedCodec.write(m.versions(), out);
            m.context().writeTo(out);
        } else if (message instanceof Conflict m) {
            out.writeByte(CONFLICT);
            VersionedCodec.write(m.versions(), out);
            m.context().writeTo(out);
        } else if (message instanceof Written m) {
            out.writeByte(WRITTEN);
            m.clock().writeTo(out);
        } else if (message instanceof Ack) {
            out.writeByte(ACK);
        } else if (message instanceof Error m) {
            out.writeByte(ERROR).writeByte(m.code().wire()).writeString(m.message()).writeString(m.operation());
            out.writeVarInt(m.required()).writeVarInt(m.answered()).writeVarInt(m.asked());
        } else if (!AntiEntropyCodec.write(message, out) && !MembershipCodec.write(message, out)
                && !PluginListCodec.write(message, out) && !StoreCatalogCodec.write(message, out)) {
            throw new IllegalArgumentException("unknown message " + message);
        }
        return out.toByteArray();
    }

    /** The message {@code bytes} hold; throws {@link MalformedDataException} for anything else. */
    public static Message decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedDataException("no bytes");
        }
        try {
            BytesIn in = new BytesIn(bytes);
            int version = in.readByte();
            if (version != VERSION) {
                throw new MalformedDataException("unknown protocol version " + version + " (this build speaks " + VERSION + ")");
            }
            int type = in.readByte();
            Message message;
            if (type == IN_STORE) {
                String store = in.readString();
                int innerType = in.readByte();
                if (innerType == IN_STORE) {
                    throw new MalformedDataException("a store envelope inside another");
                }
                if (!(readBody(innerType, in) instanceof Message.Request inner)) {
                    throw new MalformedDataException("a store envelope holds a response");
                }
                message = new Message.InStore(store, inner);
            } else {
                message = readBody(type, in);
            }
            in.requireEnd();
            return message;
        } catch (MalformedDataException e) {
            throw e;
        } catch (DynamoException | IllegalArgumentException e) {
            // a field that decoded but is invalid (e.g. a tombstone with a value, an empty node id)
            throw new MalformedDataException("invalid message: " + e.getMessage(), e);
        }
    }

    private static Message readBody(int type, BytesIn in) {
            return switch (type) {
                case CLIENT_GET -> {
                    Bytes key = in.readByteString();
                    int quorum = readQuorum(in);
                    long timeout = readTimeout(in);
                    int flags = in.readByte();
                    if ((flags & ~(FORWARDED | READ_PRIMARIES)) != 0) {
                        throw new MalformedDataException("unknown request flags " + flags);
                    }
                    int primaries = (flags & READ_PRIMARIES) == 0 ? 0 : readPrimaries(in);
                    yield new ClientGet(key, quorum, timeout, (flags & FORWARDED) != 0, primaries);
                }
                case CLIENT_PUT -> {
                    Bytes key = in.readByteString();
                    Bytes value = in.readByteString();
                    VectorClock context = VectorClock.readFrom(in);
                    int quorum = readQuorum(in);
                    long timeout = readTimeout(in);
                    int flags = readWriteFlags(in);
                    Optional<WriteId> writeId = readWriteId(in, flags);
                    long deadline = readDeadline(in, flags);
                    yield new ClientPut(key, value, context, quorum, timeout, (flags & FORWARDED) != 0, writeId, deadline,
                            readWritePrimaries(in, flags), (flags & IF_UNMODIFIED) != 0);
                }
                case CLIENT_DELETE -> {
                    Bytes key = in.readByteString();
                    VectorClock context = VectorClock.readFrom(in);
                    int quorum = readQuorum(in);
                    long timeout = readTimeout(in);
                    int flags = readWriteFlags(in);
                    Optional<WriteId> writeId = readWriteId(in, flags);
                    long deadline = readDeadline(in, flags);
                    yield new ClientDelete(key, context, quorum, timeout, (flags & FORWARDED) != 0, writeId, deadline,
                            readWritePrimaries(in, flags), (flags & IF_UNMODIFIED) != 0);
                }
                case REPLICA_READ -> new ReplicaRead(in.readByteString(), readOptional(in));
                case REPLICA_WRITE -> {
                    Bytes key = in.readByteString();
                    List<Versioned> versions = VersionedCodec.read(in);
                    int marker = in.readByte();
                    if ((marker & ~(1 | REPLICA_IF_UNMODIFIED)) != 0) {
                        throw new MalformedDataException("bad replica write marker " + marker);
                    }
                    Optional<String> hintFor = (marker & 1) == 0 ? Optional.empty() : Optional.of(readNodeId(in));
                    yield new ReplicaWrite(key, versions, hintFor, (marker & REPLICA_IF_UNMODIFIED) != 0);
                }
                case HINT_DELIVERY -> {
                    Bytes key = in.readByteString();
                    List<Versioned> versions = VersionedCodec.read(in);
                    yield new HintDelivery(key, versions, readNodeId(in));
                }
                case PING -> new Ping(readNodeId(in));
                case VERSIONS -> new Versions(VersionedCodec.read(in));
                case READ_RESULT -> {
                    List<Versioned> versions = VersionedCodec.read(in);
                    yield new ReadResult(versions, VectorClock.readFrom(in));
                }
                case WRITTEN -> new Written(VectorClock.readFrom(in));
                case CONFLICT -> {
                    List<Versioned> versions = VersionedCodec.read(in);
                    yield new Conflict(versions, VectorClock.readFrom(in));
                }
                case ACK -> new Ack();
                case ERROR -> {
                    ErrorCode code = ErrorCode.fromWire(in.readByte());
                    String text = in.readString();
                    String operation = in.readString();
                    int required = in.readLength(Integer.MAX_VALUE);
                    int answered = in.readLength(Integer.MAX_VALUE);
                    yield new Error(code, text, operation, required, answered, in.readLength(Integer.MAX_VALUE));
                }
                default -> MembershipCodec.handles(type) ? MembershipCodec.read(type, in)
                        : PluginListCodec.handles(type) ? PluginListCodec.read(type, in)
                        : StoreCatalogCodec.handles(type) ? StoreCatalogCodec.read(type, in)
                        : AntiEntropyCodec.read(type, in);
            };
    }

    private static void writeWriteOptions(BytesOut out, int quorum, long timeoutMillis, boolean forwarded,
            Optional<WriteId> writeId, long deadlineMillis, int primaries, boolean ifUnmodified) {
        int flags = (forwarded ? FORWARDED : 0) | (writeId.isPresent() ? WRITE_ID : 0) | (deadlineMillis != 0 ? DEADLINE : 0)
                | (primaries != 0 ? PRIMARIES : 0) | (ifUnmodified ? IF_UNMODIFIED : 0);
        out.writeVarInt(quorum).writeVarLong(timeoutMillis).writeByte(flags);
        writeId.ifPresent(id -> VersionedCodec.writeId(id, out));
        if (deadlineMillis != 0) {
            out.writeVarLong(deadlineMillis);
        }
        if (primaries != 0) {
            out.writeVarInt(primaries);
        }
    }

    private static int readWritePrimaries(BytesIn in, int flags) {
        return (flags & PRIMARIES) == 0 ? 0 : readPrimaries(in);
    }

    /** A pr or pw present on the wire: 0 would be a second encoding of "absent", so it is refused. */
    private static int readPrimaries(BytesIn in) {
        int primaries = in.readLength(Message.MAX_QUORUM);
        if (primaries == 0) {
            throw new MalformedDataException("pr/pw flagged present but 0");
        }
        return primaries;
    }

    private static int readWriteFlags(BytesIn in) {
        int flags = in.readByte();
        if ((flags & ~(FORWARDED | WRITE_ID | DEADLINE | PRIMARIES | IF_UNMODIFIED)) != 0) {
            throw new MalformedDataException("unknown write request flags " + flags);
        }
        return flags;
    }

    private static Optional<WriteId> readWriteId(BytesIn in, int flags) {
        return (flags & WRITE_ID) == 0 ? Optional.empty() : Optional.of(VersionedCodec.readWriteId(in));
    }

    private static long readDeadline(BytesIn in, int flags) {
        if ((flags & DEADLINE) == 0) {
            return 0;
        }
        long deadline = in.readVarLong();
        if (deadline <= 0) {
            throw new MalformedDataException("deadline " + deadline + " is not a time (epoch milliseconds)");
        }
        return deadline;
    }

    private static int readQuorum(BytesIn in) {
        return in.readLength(Message.MAX_QUORUM);
    }

    private static long readTimeout(BytesIn in) {
        long timeout = in.readVarLong();
        if (timeout < 0 || timeout > MAX_TIMEOUT_MILLIS) {
            throw new MalformedDataException("timeout " + timeout + " ms outside [0, " + MAX_TIMEOUT_MILLIS + "]");
        }
        return timeout;
    }


    private static void writeOptional(BytesOut out, Optional<String> value) {
        if (value.isPresent()) {
            out.writeByte(1).writeString(value.get());
        } else {
            out.writeByte(0);
        }
    }

    private static Optional<String> readOptional(BytesIn in) {
        int present = in.readByte();
        return switch (present) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(readNodeId(in));
            default -> throw new MalformedDataException("bad optional marker " + present);
        };
    }

    private static String readNodeId(BytesIn in) {
        String id = in.readString();
        if (id.isEmpty() || id.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new MalformedDataException("node id must have 1 to " + VectorClock.MAX_NODE_ID_LENGTH + " characters");
        }
        return id;
    }
}

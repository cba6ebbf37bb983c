package io.dynamo.core.messages;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.RingState;
import io.dynamo.core.store.StoreCatalog;
import io.dynamo.core.messages.Message.Decommission;
import io.dynamo.core.messages.Message.Drain;
import io.dynamo.core.messages.Message.Gossip;
import io.dynamo.core.messages.Message.GossipAck;
import io.dynamo.core.messages.Message.HeldPartitions;
import io.dynamo.core.messages.Message.HintCounts;
import io.dynamo.core.messages.Message.Hints;
import io.dynamo.core.messages.Message.HoldsPartitions;
import io.dynamo.core.messages.Message.RemoveNode;
import io.dynamo.core.messages.Message.ReplaceNode;
import io.dynamo.core.messages.Message.Routing;
import io.dynamo.core.messages.Message.RoutingTable;
import io.dynamo.core.messages.Message.StreamBatch;
import io.dynamo.core.messages.Message.StreamPartition;
import io.dynamo.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The membership part of {@link MessageCodec}:
 * <pre>
 * 13    Gossip          state
 * 14    StreamPartition partition, optional key (byte 0, or 1 and the key), maxKeys
 * 15    Decommission    node id
 * 16    Routing         (nothing)
 * 17    HoldsPartitions count, partitions
 * 22    RemoveNode      node id
 * 23    ReplaceNode     dead node id, replacement node id
 * 24    Hints           (nothing)
 * 25    Drain           handoff milliseconds
 * 78    HintCounts      count, (node id, hinted keys)*
 * 73    GossipAck       state
 * 74    StreamBatch     count, (key, versions)*, last (byte 0 or 1)
 * 75    RoutingTable    N, R, partitioner, client reads (0 or 1), count, (id, endpoint)*, Q, Q owner indices,
 *                       the partitions of the 4 probe keys
 * 76    HeldPartitions  count, partitions
 *
 * state  = count, (id, endpoint, generation, version, state byte, ring version, total, done, keys)*, ring,
 *          store catalog (see StoreCatalogCodec; absent in a state saved before the catalog existed: empty)
 * ring   = version, Q (0 when unknown), id count, ids, Q current owner indices, moving (0 or 1),
 *          [Q target owner indices]
 * </pre>
 */
final class MembershipCodec {
    static final int GOSSIP = 13;
    static final int STREAM_PARTITION = 14;
    static final int DECOMMISSION = 15;
    static final int ROUTING = 16;
    static final int GOSSIP_ACK = 73;
    static final int STREAM_BATCH = 74;
    static final int ROUTING_TABLE = 75;
    static final int HOLDS_PARTITIONS = 17;
    static final int HELD_PARTITIONS = 76;
    static final int REMOVE_NODE = 22;
    static final int REPLACE_NODE = 23;
    static final int HINTS = 24;
    static final int DRAIN = 25;
    static final int HINT_COUNTS = 78;

    private MembershipCodec() {}

    static boolean handles(int type) {
        return type == GOSSIP || type == STREAM_PARTITION || type == DECOMMISSION || type == GOSSIP_ACK
                || type == STREAM_BATCH || type == ROUTING || type == ROUTING_TABLE || type == HOLDS_PARTITIONS
                || type == HELD_PARTITIONS || type == REMOVE_NODE || type == REPLACE_NODE
                || type == HINTS || type == DRAIN || type == HINT_COUNTS;
    }

    static boolean write(Message message, BytesOut out) {
        if (message instanceof Gossip m) {
            out.writeByte(GOSSIP);
            writeState(m.state(), out);
        } else if (message instanceof GossipAck m) {
            out.writeByte(GOSSIP_ACK);
            writeState(m.state(), out);
        } else if (message instanceof StreamPartition m) {
            out.writeByte(STREAM_PARTITION).writeVarInt(m.partition());
            if (m.after().isPresent()) {
                out.writeByte(1).writeBytes(m.after().get());
            } else {
                out.writeByte(0);
            }
            out.writeVarInt(m.maxKeys());
        } else if (message instanceof StreamBatch m) {
            out.writeByte(STREAM_BATCH);
            AntiEntropyCodec.writeKeyVersions(m.keys(), out);
            out.writeByte(m.last() ? 1 : 0);
        } else if (message instanceof Decommission m) {
            out.writeByte(DECOMMISSION).writeString(m.nodeId());
        } else if (message instanceof RemoveNode m) {
            out.writeByte(REMOVE_NODE).writeString(m.nodeId());
        } else if (message instanceof ReplaceNode m) {
            out.writeByte(REPLACE_NODE).writeString(m.dead()).writeString(m.replacement());
        } else if (message instanceof Hints) {
            out.writeByte(HINTS);
        } else if (message instanceof Drain m) {
            out.writeByte(DRAIN).writeVarLong(m.handoffMillis());
        } else if (message instanceof HintCounts m) {
            out.writeByte(HINT_COUNTS).writeVarInt(m.pending().size());
            new java.util.TreeMap<>(m.pending()).forEach((id, count) -> out.writeString(id).writeVarLong(count));
        } else if (message instanceof Routing) {
            out.writeByte(ROUTING);
        } else if (message instanceof HoldsPartitions m) {
            writePartitions(HOLDS_PARTITIONS, m.partitions(), out);
        } else if (message instanceof HeldPartitions m) {
            writePartitions(HELD_PARTITIONS, m.partitions(), out);
        } else if (message instanceof RoutingTable m) {
            out.writeByte(ROUTING_TABLE).writeVarInt(m.replicas()).writeVarInt(m.readQuorum())
                    .writeString(m.partitioner()).writeByte(m.clientReads() ? 1 : 0);
            List<String> ids = new ArrayList<>(new TreeSet<>(m.endpoints().keySet()));
            out.writeVarInt(ids.size());
            Map<String, Integer> index = new HashMap<>();
            for (String id : ids) {
                index.put(id, index.size());
                out.writeString(id).writeString(m.endpoints().get(id).address());
            }
            out.writeVarInt(m.assignment().size());
            m.assignment().forEach(owner -> out.writeVarInt(index.get(owner)));
            m.probes().forEach(out::writeVarInt);
        } else {
            return false;
        }
        return true;
    }

    static Message read(int type, BytesIn in) {
        return switch (type) {
            case GOSSIP -> new Gossip(readState(in));
            case GOSSIP_ACK -> new GossipAck(readState(in));
            case STREAM_PARTITION -> {
                int partition = in.readLength(Integer.MAX_VALUE);
                int present = in.readByte();
                Optional<Bytes> after = switch (present) {
                    case 0 -> Optional.empty();
                    case 1 -> Optional.of(in.readByteString());
                    default -> throw new MalformedDataException("bad optional marker " + present);
                };
                yield new StreamPartition(partition, after, in.readLength(Integer.MAX_VALUE));
            }
            case STREAM_BATCH -> {
                List<Message.KeyVersions> keys = AntiEntropyCodec.readKeyVersions(in);
                yield new StreamBatch(keys, readFlag(in));
            }
            case DECOMMISSION -> new Decommission(in.readString());
            case REMOVE_NODE -> new RemoveNode(in.readString());
            case HINTS -> new Hints();
            case DRAIN -> new Drain(in.readVarLong());
            case HINT_COUNTS -> {
                int count = in.readLength(HintCounts.MAX_TARGETS);
                Map<String, Long> pending = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    String id = in.readString();
                    if (pending.put(id, in.readVarLong()) != null) {
                        throw new MalformedDataException("hint counts name " + id + " twice");
                    }
                }
                yield new HintCounts(pending);
            }
            case REPLACE_NODE -> new ReplaceNode(in.readString(), in.readString());
            case ROUTING -> new Routing();
            case ROUTING_TABLE -> readRoutingTable(in);
            case HOLDS_PARTITIONS -> new HoldsPartitions(readPartitions(in));
            case HELD_PARTITIONS -> new HeldPartitions(readPartitions(in));
            default -> throw new MalformedDataException("unknown message type " + type);
        };
    }

    private static void writePartitions(int type, List<Integer> partitions, BytesOut out) {
        out.writeByte(type).writeVarInt(partitions.size());
        partitions.forEach(out::writeVarInt);
    }

    private static List<Integer> readPartitions(BytesIn in) {
        int count = in.readLength(in.remaining()); // at least a byte each
        List<Integer> partitions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            partitions.add(in.readLength(Integer.MAX_VALUE));
        }
        return partitions;
    }

    private static void writeState(GossipState state, BytesOut out) {
        out.writeVarInt(state.members().size());
        for (MemberInfo m : new java.util.TreeMap<>(state.members()).values()) {
            out.writeString(m.id()).writeString(m.endpoint().address()).writeVarLong(m.generation())
                    .writeVarLong(m.version()).writeByte(m.state().wire());
            MoveProgress p = m.progress();
            out.writeVarLong(p.ringVersion()).writeVarInt(p.partitionsTotal()).writeVarInt(p.partitionsDone())
                    .writeVarLong(p.keysStreamed());
        }
        RingState ring = state.ring();
        out.writeVarLong(ring.version()).writeVarInt(ring.current().size());
        TreeSet<String> distinct = new TreeSet<>(ring.current());
        distinct.addAll(ring.target());
        List<String> ids = new ArrayList<>(distinct);
        out.writeVarInt(ids.size());
        Map<String, Integer> index = new HashMap<>();
        for (String id : ids) {
            index.put(id, index.size());
            out.writeString(id);
        }
        ring.current().forEach(owner -> out.writeVarInt(index.get(owner)));
        out.writeByte(ring.moving() ? 1 : 0);
        if (ring.moving()) {
            ring.target().forEach(owner -> out.writeVarInt(index.get(owner)));
        }
        StoreCatalogCodec.writeCatalog(state.stores(), out);
    }

    private static GossipState readState(BytesIn in) {
        int count = in.readLength(in.remaining() / 8);
        Map<String, MemberInfo> members = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String id = readId(in);
            Endpoint endpoint = new Endpoint(in.readString());
            long generation = in.readVarLong();
            long version = in.readVarLong();
            MemberState state = MemberState.fromWire(in.readByte());
            long ringVersion = in.readVarLong();
            int total = in.readLength(Integer.MAX_VALUE);
            int done = in.readLength(Integer.MAX_VALUE);
            MoveProgress progress = new MoveProgress(ringVersion, total, done, in.readVarLong());
            if (members.put(id, new MemberInfo(id, endpoint, generation, version, state, progress)) != null) {
                throw new MalformedDataException("member " + id + " appears twice");
            }
        }
        long ringVersion = in.readVarLong();
        int partitions = in.readLength(in.remaining());
        int idCount = in.readLength(in.remaining());
        List<String> ids = new ArrayList<>(idCount);
        for (int i = 0; i < idCount; i++) {
            ids.add(readId(in));
        }
        List<String> current = readOwners(in, partitions, ids);
        List<String> target = readFlag(in) ? readOwners(in, partitions, ids) : current;
        // the state ends its message; one saved before the catalog existed ends here
        StoreCatalog stores = in.remaining() == 0 ? StoreCatalog.EMPTY : StoreCatalogCodec.readCatalog(in);
        return new GossipState(members, new RingState(ringVersion, current, target), stores);
    }

    private static RoutingTable readRoutingTable(BytesIn in) {
        int replicas = in.readLength(Message.MAX_QUORUM);
        int readQuorum = in.readLength(Message.MAX_QUORUM);
        String partitioner = in.readString();
        boolean clientReads = readFlag(in);
        int count = in.readLength(in.remaining() / 2);
        List<String> ids = new ArrayList<>(count);
        Map<String, Endpoint> endpoints = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String id = readId(in);
            ids.add(id);
            if (endpoints.put(id, new Endpoint(in.readString())) != null) {
                throw new MalformedDataException("member " + id + " appears twice");
            }
        }
        int partitions = in.readLength(in.remaining());
        List<String> assignment = readOwners(in, partitions, ids);
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < RoutingTable.PROBE_KEYS.size(); i++) {
            probes.add(in.readLength(Math.max(0, partitions - 1)));
        }
        try {
            return new RoutingTable(assignment, endpoints, replicas, readQuorum, partitioner, clientReads, probes);
        } catch (InvalidArgumentException e) {
            throw new MalformedDataException(e.getMessage());
        }
    }

    private static List<String> readOwners(BytesIn in, int partitions, List<String> ids) {
        List<String> owners = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int index = in.readLength(Integer.MAX_VALUE);
            if (index >= ids.size()) {
                throw new MalformedDataException("owner index " + index + " outside the " + ids.size() + " ids");
            }
            owners.add(ids.get(index));
        }
        return owners;
    }

    private static String readId(BytesIn in) {
        String id = in.readString();
        if (id.isEmpty() || id.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new MalformedDataException("node id must have 1 to " + VectorClock.MAX_NODE_ID_LENGTH + " characters");
        }
        return id;
    }

    private static boolean readFlag(BytesIn in) {
        int flag = in.readByte();
        if (flag > 1) {
            throw new MalformedDataException("bad flag " + flag);
        }
        return flag == 1;
    }
}

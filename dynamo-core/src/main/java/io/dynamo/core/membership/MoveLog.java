package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What membership keeps durably, in the storage engine's {@link #PARTITION} (so it lives as
 * long as the node's data, through crashes): the last ring state this node knew (with the members
 * it knew then, for their endpoints), and for every
 * partition it is receiving, how far it got — whether it is done, how many keys arrived and
 * the last key streamed, from which the stream resumes.
 */
final class MoveLog {
    /** The engine partition membership uses: just below the hints'. */
    static final int PARTITION = StorageEngine.HINTS_PARTITION - 1;

    private static final Bytes RING = Bytes.utf8("ring");
    private static final Bytes HELD = Bytes.utf8("held");
    private static final String MOVE_PREFIX = "move/";
    private static final String DEFAULT_STORE = "default";

    private final StorageEngine engine;

    MoveLog(StorageEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** How far one partition's stream got. */
    record Progress(boolean done, long keys, Optional<Bytes> lastKey) {
        static final Progress START = new Progress(false, 0, Optional.empty());
    }

    /** The last saved state: the ring and the members known then (for their endpoints). */
    Optional<GossipState> state() {
        return read(RING).map(bytes -> ((Message.Gossip) MessageCodec.decode(bytes)).state());
    }

    void saveState(GossipState state) {
        write(RING, MessageCodec.encode(new Message.Gossip(state)));
    }

    /**
     * The data partitions this node holds whole of {@code store} (see {@link Membership}); empty
     * when never saved. The default store's are under the key they had before stores existed.
     */
    Optional<Set<Integer>> held(String store) {
        return read(heldKey(store)).map(bytes -> {
            BytesIn in = new BytesIn(bytes);
            int count = in.readLength(in.remaining());
            Set<Integer> held = new TreeSet<>();
            for (int i = 0; i < count; i++) {
                held.add(in.readLength(Integer.MAX_VALUE));
            }
            return held;
        });
    }

    void saveHeld(String store, Set<Integer> held) {
        BytesOut out = new BytesOut(2 + 2 * held.size()).writeVarInt(held.size());
        held.forEach(out::writeVarInt);
        write(heldKey(store), out.toByteArray());
    }

    /** Forgets what this node held of {@code store}: the store was dropped (a store made again starts afresh). */
    void forgetHeld(String store) {
        engine.update(PARTITION, heldKey(store), current -> List.of());
    }

    private static Bytes heldKey(String store) {
        return DEFAULT_STORE.equals(store) ? HELD : Bytes.utf8("held/" + store);
    }

    Progress progress(String store, long ringVersion, int partition) {
        return read(moveKey(store, ringVersion, partition)).map(bytes -> {
            BytesIn in = new BytesIn(bytes);
            boolean done = in.readByte() == 1;
            long keys = in.readVarLong();
            Optional<Bytes> last = in.readByte() == 1 ? Optional.of(in.readByteString()) : Optional.empty();
            return new Progress(done, keys, last);
        }).orElse(Progress.START);
    }

    void saveProgress(String store, long ringVersion, int partition, Progress progress) {
        BytesOut out = new BytesOut(32).writeByte(progress.done() ? 1 : 0).writeVarLong(progress.keys());
        if (progress.lastKey().isPresent()) {
            out.writeByte(1).writeBytes(progress.lastKey().get());
        } else {
            out.writeByte(0);
        }
        write(moveKey(store, ringVersion, partition), out.toByteArray());
    }

    /** Forgets the progress of every move: called once a change has completed. */
    void clearMoves() {
        List<Bytes> keys = new ArrayList<>();
        engine.forEach(PARTITION, (key, versions) -> {
            if (key.asUtf8().startsWith(MOVE_PREFIX)) {
                keys.add(key);
            }
        });
        keys.forEach(key -> engine.update(PARTITION, key, current -> List.of()));
    }

    /** {@code move/VERSION/PARTITION} for the default store (as before stores existed), {@code move/STORE/VERSION/PARTITION} else. */
    private static Bytes moveKey(String store, long ringVersion, int partition) {
        String storePart = DEFAULT_STORE.equals(store) ? "" : store + "/";
        return Bytes.wrapOwned((MOVE_PREFIX + storePart + ringVersion + "/" + partition).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<byte[]> read(Bytes key) {
        List<Versioned> versions = engine.get(PARTITION, key);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0).value().toByteArray());
    }

    private void write(Bytes key, byte[] value) {
        Versioned record = Versioned.of(VectorClock.EMPTY, Bytes.wrapOwned(value));
        engine.update(PARTITION, key, current -> List.of(record));
    }
}

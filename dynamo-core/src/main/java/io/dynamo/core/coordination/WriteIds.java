package io.dynamo.core.coordination;

import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.api.codec.BytesOut;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The rule that makes a client write count once: versions carrying the same {@link WriteId} are
 * copies of one write, and a key keeps one of them.
 *
 * <p>Copies with equal clocks are the same version delivered twice (a duplicated or retried
 * replica write): the stored one stays. Copies with different clocks come from a write applied
 * by two coordinators (the client retried at another node before the first one's copy reached
 * it): every replica keeps the same one whichever arrived first, so replicas converge and
 * anti-entropy finds nothing left to repair. The one kept is the copy stamped last (the latest
 * timestamp of its clock), then, on a tie, the one whose encoded clock sorts first (unsigned
 * bytes): the copy stamped last is the one whose clock the client was given, since it retried
 * only because no earlier answer reached it; so the context a put returns keeps covering what
 * the key holds. Pure functions.
 */
public final class WriteIds {
    private WriteIds() {}

    /** What a merge works on once copies of one write are settled. */
    public record Settled(List<Versioned> stored, List<Versioned> incoming) {}

    /** The stored version made by the write {@code id}, if any. */
    public static Optional<Versioned> find(List<Versioned> stored, WriteId id) {
        for (Versioned v : stored) {
            if (v.writeId().isPresent() && v.writeId().get().equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code stored} and {@code incoming} with one copy of each write left: an incoming copy of a
     * stored write is left out, unless it is the copy to keep, which then replaces the stored
     * one. Lists without write ids come back as they are.
     */
    public static Settled settle(List<Versioned> stored, List<Versioned> incoming) {
        if (!anyId(incoming)) {
            return new Settled(stored, incoming);
        }
        List<Versioned> keptStored = stored;
        List<Versioned> keptIncoming = new ArrayList<>(incoming.size());
        for (Versioned v : incoming) {
            if (v.writeId().isEmpty()) {
                keptIncoming.add(v);
                continue;
            }
            WriteId id = v.writeId().get();
            int copy = indexOf(keptIncoming, id);
            if (copy >= 0) {
                if (keeps(v, keptIncoming.get(copy))) {
                    keptIncoming.set(copy, v);
                }
                continue;
            }
            int held = indexOf(keptStored, id);
            if (held < 0) {
                keptIncoming.add(v);
            } else if (keeps(v, keptStored.get(held))) {
                if (keptStored == stored) {
                    keptStored = new ArrayList<>(stored);
                }
                keptStored.remove(held);
                keptIncoming.add(v);
            }
        }
        return new Settled(keptStored, keptIncoming);
    }

    /** True when {@code candidate} is the copy to keep rather than {@code current}, another copy of its write. */
    static boolean keeps(Versioned candidate, Versioned current) {
        if (candidate.clock().equals(current.clock())) {
            return false; // the same version again: what is held stays
        }
        int later = Long.compare(candidate.clock().latestTimestamp(), current.clock().latestTimestamp());
        if (later != 0) {
            return later > 0;
        }
        return Arrays.compareUnsigned(clockBytes(candidate), clockBytes(current)) < 0;
    }

    private static byte[] clockBytes(Versioned v) {
        BytesOut out = new BytesOut(32);
        v.clock().writeTo(out);
        return out.toByteArray();
    }

    private static boolean anyId(List<Versioned> versions) {
        for (Versioned v : versions) {
            if (v.writeId().isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(List<Versioned> versions, WriteId id) {
        for (int i = 0; i < versions.size(); i++) {
            Optional<WriteId> other = versions.get(i).writeId();
            if (other.isPresent() && other.get().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}

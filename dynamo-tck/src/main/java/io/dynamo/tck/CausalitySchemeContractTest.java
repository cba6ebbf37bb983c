package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link CausalityScheme}. Subclass it once per scheme:
 *
 * <pre>{@code
 * class MySchemeTest extends CausalitySchemeContractTest {
 *     protected CausalityScheme createScheme() { return new MyScheme(); }
 * }
 * }</pre>
 *
 * <p>Each check replays {@value #RUNS} random executions of one key over three coordinators
 * (clients read some versions, write through one coordinator with what they read as context,
 * coordinators pass versions on at random), stamped by the scheme under test, from fixed seeds:
 * a failure replays exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class CausalitySchemeContractTest {
    private static final int RUNS = 200;
    private static final int STEPS = 25;
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    /** Large enough that no scheme truncates in these executions. */
    private static final int NO_TRUNCATION = 1_000;

    private CausalityScheme scheme;

    /** A new scheme; called before each test. */
    protected abstract CausalityScheme createScheme();

    @BeforeEach
    final void create() {
        scheme = createScheme();
    }

    /** A write about to be stamped, with what its coordinator stores and what its context covers. */
    private record Pending(NewWrite write, long seed) {}

    @Test
    void aNewWriteIsNeverCoveredByAStoredVersion() {
        forEachWrite(NO_TRUNCATION, (pending, stamped) -> {
            for (Versioned v : pending.write().stored()) {
                Causality c = stamped.compare(v.clock());
                assertTrue(c == Causality.AFTER || c == Causality.CONCURRENT, "seed " + pending.seed() + ": the new clock "
                        + stamped + " is " + c + " stored " + v.clock() + ": the write would be dropped");
            }
        });
    }

    @Test
    void aNewWriteReplacesWhatItsContextCovers() {
        forEachWrite(NO_TRUNCATION, (pending, stamped) -> {
            for (Versioned v : pending.write().stored()) {
                if (covers(pending.write().context(), v.clock())) {
                    assertEquals(Causality.AFTER, stamped.compare(v.clock()), "seed " + pending.seed() + ": context "
                            + pending.write().context() + " covers " + v.clock() + " but the new clock " + stamped + " does not");
                }
            }
        });
    }

    @Test
    void aNewWriteNeverReplacesWhatItsContextDoesNotCover() {
        for (int maxEntries : new int[] {NO_TRUNCATION, 2}) {
            forEachWrite(maxEntries, (pending, stamped) -> {
                for (Versioned v : pending.write().stored()) {
                    if (!covers(pending.write().context(), v.clock())) {
                        assertNotEquals(Causality.AFTER, stamped.compare(v.clock()), "seed " + pending.seed() + ": "
                                + stamped + " replaces " + v.clock() + ", which its context " + pending.write().context()
                                + " did not cover: a lost write");
                    }
                }
            });
        }
    }

    @Test
    void twoWritesFromOneContextThroughOneCoordinatorBecomeSiblings() {
        VectorClock context = VectorClock.EMPTY;
        VectorClock first = scheme.stamp(new NewWrite("n1", context, List.of(), 1, NO_TRUNCATION));
        VectorClock second = scheme.stamp(new NewWrite("n1", context, List.of(Versioned.of(first, Bytes.utf8("one"))), 2,
                NO_TRUNCATION));
        assertEquals(Causality.CONCURRENT, second.compare(first), first + " and " + second);
    }

    @Test
    void clocksArePlainUnlessTheSchemeMakesDots() {
        forEachWrite(NO_TRUNCATION, (pending, stamped) -> {
            if (!scheme.makesDots()) {
                assertTrue(stamped.isPlain(), "seed " + pending.seed() + ": " + stamped + " has dots, but makesDots() is false");
            }
        });
    }

    @Test
    void stampingIsDeterministic() {
        forEachWrite(NO_TRUNCATION, (pending, stamped) ->
                assertEquals(stamped, scheme.stamp(pending.write()), "seed " + pending.seed()));
    }

    @Test
    void aNewWriteIsAfterItsContext() {
        forEachWrite(NO_TRUNCATION, (pending, stamped) -> assertEquals(Causality.AFTER,
                stamped.compare(pending.write().context()), "seed " + pending.seed() + ": " + stamped + " vs context "
                        + pending.write().context()));
    }

    private interface Check {
        void accept(Pending pending, VectorClock stamped);
    }

    /** Runs the executions, handing every write to {@code check} with the clock the scheme gave it. */
    private void forEachWrite(int maxEntries, Check check) {
        for (long seed = 0; seed < RUNS; seed++) {
            Random random = new Random(seed);
            List<List<Versioned>> stores = new ArrayList<>();
            NODES.forEach(n -> stores.add(List.of()));
            for (int step = 0; step < STEPS; step++) {
                int coordinator = random.nextInt(NODES.size());
                if (random.nextInt(3) == 0) {
                    int to = random.nextInt(NODES.size());
                    stores.set(to, merge(stores.get(to), stores.get(coordinator)));
                    continue;
                }
                VectorClock context = VectorClock.EMPTY;
                for (Versioned v : stores.get(random.nextInt(NODES.size()))) {
                    if (random.nextInt(3) > 0) {
                        context = context.merge(v.clock());
                    }
                }
                NewWrite write = new NewWrite(NODES.get(coordinator), context, stores.get(coordinator), step, maxEntries);
                VectorClock stamped = scheme.stamp(write);
                check.accept(new Pending(write, seed), stamped);
                stores.set(coordinator, merge(stores.get(coordinator), List.of(Versioned.of(stamped, Bytes.utf8("v" + step)))));
            }
        }
    }

    private static boolean covers(VectorClock context, VectorClock clock) {
        Causality c = context.compare(clock);
        return c == Causality.AFTER || c == Causality.EQUAL;
    }

    /** Every version of either list no other covers; the first of equal clocks stays. */
    private static List<Versioned> merge(List<Versioned> stored, List<Versioned> incoming) {
        List<Versioned> all = new ArrayList<>(stored);
        all.addAll(incoming);
        List<Versioned> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            boolean drop = false;
            for (int j = 0; j < all.size() && !drop; j++) {
                Causality c = all.get(j).clock().compare(all.get(i).clock());
                drop = i != j && (c == Causality.AFTER || (c == Causality.EQUAL && j < i));
            }
            if (!drop) {
                kept.add(all.get(i));
            }
        }
        assertFalse(kept.isEmpty() && !all.isEmpty());
        return List.copyOf(kept);
    }
}

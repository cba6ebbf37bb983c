package io.dynamo.tck;

import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;
import org.junit.jupiter.api.Test;

/** The causality scheme contract passes a minimal dotted scheme and catches each planted fault. */
class CausalitySchemeContractSelfTest {
    /** Dotted version vectors in a few lines: the context's events and a fresh dot of the coordinator. */
    static class Dotted implements CausalityScheme {
        @Override
        public VectorClock stamp(NewWrite write) {
            long highest = write.context().highestCounter(write.coordinator());
            for (Versioned v : write.stored()) {
                highest = Math.max(highest, v.clock().highestCounter(write.coordinator()));
            }
            return write.context().history().withDot(write.coordinator(), highest + 1, write.nowMillis());
        }

        @Override
        public boolean makesDots() {
            return true;
        }
    }

    static class Correct extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new Dotted();
        }
    }

    /** Dynamo's plain increment: two writes from one context get equal clocks. */
    static class PlainIncrement extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return write -> write.context().increment(write.coordinator(), write.nowMillis());
        }
    }

    /** Forgets the context: replaces nothing the writer saw. */
    static class IgnoresTheContext extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new Dotted() {
                @Override
                public VectorClock stamp(NewWrite write) {
                    return super.stamp(new NewWrite(write.coordinator(), VectorClock.EMPTY, write.stored(),
                            write.nowMillis(), write.maxClockEntries()));
                }
            };
        }
    }

    /** Takes every stored clock into the context: replaces siblings the writer never saw. */
    static class CoversEverythingStored extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new Dotted() {
                @Override
                public VectorClock stamp(NewWrite write) {
                    VectorClock all = write.context();
                    for (Versioned v : write.stored()) {
                        all = all.merge(v.clock());
                    }
                    return super.stamp(new NewWrite(write.coordinator(), all, write.stored(), write.nowMillis(),
                            write.maxClockEntries()));
                }
            };
        }
    }

    /** Makes dots without saying so: nodes of this scheme would refuse its own versions. */
    static class UndeclaredDots extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new Dotted() {
                @Override
                public boolean makesDots() {
                    return false;
                }
            };
        }
    }

    @Test
    void aCorrectSchemePasses() {
        ContractRun.of(Correct.class).assertAllPassed();
    }

    @Test
    void equalClocksForTwoWritesAreCaught() {
        ContractRun.of(PlainIncrement.class).assertFailed("aNewWriteIsNeverCoveredByAStoredVersion",
                "twoWritesFromOneContextThroughOneCoordinatorBecomeSiblings");
    }

    @Test
    void aSchemeThatIgnoresTheContextIsCaught() {
        ContractRun.of(IgnoresTheContext.class).assertFailed("aNewWriteReplacesWhatItsContextCovers",
                "aNewWriteIsAfterItsContext");
    }

    @Test
    void aSchemeThatReplacesUnseenSiblingsIsCaught() {
        ContractRun.of(CoversEverythingStored.class).assertFailed("aNewWriteNeverReplacesWhatItsContextDoesNotCover");
    }

    @Test
    void undeclaredDotsAreCaught() {
        ContractRun.of(UndeclaredDots.class).assertFailed("clocksArePlainUnlessTheSchemeMakesDots");
    }
}

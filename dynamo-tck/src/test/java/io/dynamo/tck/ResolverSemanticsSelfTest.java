package io.dynamo.tck;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The property checks of a declared {@link ConflictResolver.Semantics}: a correct merge of
 * numbers (the maximum) passes, and each planted fault in a merge is caught.
 */
class ResolverSemanticsSelfTest {
    /**
     * Merges decimal numbers with {@code join}; keeps a value that is not a number as a sibling
     * unless {@code dropsGarbage}. Tombstones lose to numbers.
     */
    record NumberMerge(BinaryOperator<BigInteger> join, boolean dropsGarbage) implements ConflictResolver {
        @Override
        public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
            List<Versioned> result = new ArrayList<>();
            VectorClock clock = VectorClock.EMPTY;
            BigInteger joined = null;
            for (Versioned v : versions) {
                BigInteger number = v.tombstone() ? null : parse(v.value());
                if (!v.tombstone() && number == null) {
                    if (!dropsGarbage) {
                        result.add(v);
                    }
                    continue;
                }
                clock = clock.merge(v.clock());
                if (number != null) {
                    joined = joined == null ? number : join.apply(joined, number);
                }
            }
            if (!clock.isEmpty()) {
                result.add(joined == null ? Versioned.tombstone(clock) : Versioned.of(clock, Bytes.utf8(joined.toString())));
            }
            return result;
        }

        private static BigInteger parse(Bytes value) {
            try {
                return new BigInteger(value.asUtf8());
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public Semantics semantics() {
            return Semantics.MERGE;
        }
    }

    abstract static class NumberContract extends ConflictResolverContractTest {
        @Override
        protected Bytes sampleValue(Random random) {
            return Bytes.utf8(Integer.toString(1 + random.nextInt(1_000)));
        }
    }

    static class TakesTheMaximum extends NumberContract {
        @Override
        protected ConflictResolver createResolver() {
            return new NumberMerge(BigInteger::max, false);
        }
    }

    static class Sums extends NumberContract {
        @Override
        protected ConflictResolver createResolver() {
            return new NumberMerge(BigInteger::add, false);
        }
    }

    static class Averages extends NumberContract {
        @Override
        protected ConflictResolver createResolver() {
            // commutative and idempotent, but not associative
            return new NumberMerge((a, b) -> a.add(b).shiftRight(1), false);
        }
    }

    static class DropsWhatItCannotParse extends NumberContract {
        @Override
        protected ConflictResolver createResolver() {
            return new NumberMerge(BigInteger::max, true);
        }
    }

    static class SelectsButCreatesVersions extends ConflictResolverContractTest {
        @Override
        protected ConflictResolver createResolver() {
            // lww that says SELECT: its result carries the merged clock, so it is not an input
            return new ConflictResolver() {
                @Override
                public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
                    VectorClock clock = VectorClock.EMPTY;
                    Versioned newest = versions.get(0);
                    for (Versioned v : versions) {
                        clock = clock.merge(v.clock());
                        if (v.clock().latestTimestamp() > newest.clock().latestTimestamp()) {
                            newest = v;
                        }
                    }
                    return List.of(new Versioned(clock, newest.value(), newest.tombstone()));
                }

                @Override
                public Semantics semantics() {
                    return Semantics.SELECT;
                }
            };
        }
    }

    @Test
    void aCorrectMergePasses() {
        ContractRun.of(TakesTheMaximum.class).assertAllPassed();
    }

    @Test
    void aSumIsNotIdempotent() {
        ContractRun.of(Sums.class).assertFailed("mergingAgainWithAnyInputCountsNothingTwice");
    }

    @Test
    void anAverageIsNotAssociative() {
        ContractRun.of(Averages.class).assertFailed("groupingDoesNotMatter");
    }

    @Test
    void droppingValuesItCannotParseIsCaught() {
        ContractRun.of(DropsWhatItCannotParse.class).assertFailed("valuesItCannotParseAreKeptAsSiblings");
    }

    @Test
    void aSelectingResolverThatMakesNewVersionsIsCaught() {
        ContractRun.of(SelectsButCreatesVersions.class).assertFailed("aSelectingResolverReturnsOnlyItsInputs");
    }
}

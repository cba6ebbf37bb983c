package io.dynamo.tck;

import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolver contract passes returning every sibling and catches each planted fault. */
class ConflictResolverContractSelfTest {
    static class KeepsAll extends ConflictResolverContractTest {
        @Override
        protected ConflictResolver createResolver() {
            return (key, versions) -> List.copyOf(versions);
        }
    }

    static class KeepsTheFirst extends ConflictResolverContractTest {
        @Override
        protected ConflictResolver createResolver() {
            return (key, versions) -> List.of(versions.get(0));
        }
    }

    static class NewVersionWithoutTheMergedClock extends ConflictResolverContractTest {
        @Override
        protected ConflictResolver createResolver() {
            // a "merge" that keeps the first sibling's clock: it does not replace the others
            return (key, versions) -> versions.size() == 1 ? versions
                    : List.of(Versioned.of(versions.get(0).clock(), io.dynamo.api.Bytes.utf8("merged")));
        }
    }

    static class SortsInPlace extends ConflictResolverContractTest {
        @Override
        protected ConflictResolver createResolver() {
            return (key, versions) -> {
                versions.sort((a, b) -> a.value().compareTo(b.value()));
                return new ArrayList<>(versions);
            };
        }
    }

    @Test
    void aCorrectResolverPasses() {
        ContractRun.of(KeepsAll.class).assertAllPassed();
    }

    @Test
    void droppingSiblingsIsCaught() {
        ContractRun.of(KeepsTheFirst.class).assertFailed("manyRandomSiblingSets", "twoConcurrentValues");
    }

    @Test
    void aNewVersionThatDoesNotDominateIsCaught() {
        ContractRun.of(NewVersionWithoutTheMergedClock.class).assertFailed("twoConcurrentValues", "manyRandomSiblingSets");
    }

    @Test
    void changingTheInputIsCaught() {
        ContractRun.of(SortsInPlace.class).assertFailed("inputListIsLeftAlone");
    }
}

package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs one contract subclass on the JUnit engine and reports which of its tests failed. */
record ContractRun(Set<String> passed, Set<String> failed) {
    static ContractRun of(Class<?> contractSubclass) {
        Set<String> passed = new TreeSet<>();
        Set<String> failed = new TreeSet<>();
        // the contracts' @Test methods run on Jupiter, their @Property methods on jqwik
        for (String engine : new String[] {"junit-jupiter", "jqwik"}) {
            EngineExecutionResults results = EngineTestKit.engine(engine)
                    .selectors(DiscoverySelectors.selectClass(contractSubclass))
                    .execute();
            results.testEvents().succeeded().stream().map(ContractRun::methodName).forEach(passed::add);
            results.testEvents().failed().stream().map(ContractRun::methodName).forEach(failed::add);
            results.containerEvents().failed().stream().findFirst().ifPresent(event -> {
                throw new AssertionError("the contract could not run for " + contractSubclass,
                        event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElse(null));
            });
        }
        return new ContractRun(passed, failed);
    }

    private static String methodName(Event event) {
        return event.getTestDescriptor().getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName())
                .orElse(event.getTestDescriptor().getDisplayName());
    }

    void assertAllPassed() {
        assertEquals(Set.of(), failed, "failed contract tests");
        assertTrue(passed.size() > 5, "too few tests ran: " + passed);
    }

    void assertFailed(String... tests) {
        for (String test : tests) {
            assertTrue(failed.contains(test), test + " did not catch the fault; failed: " + failed);
        }
    }

    void assertPassed(String... tests) {
        for (String test : tests) {
            assertTrue(passed.contains(test), test + " did not pass; failed: " + failed);
        }
    }
}

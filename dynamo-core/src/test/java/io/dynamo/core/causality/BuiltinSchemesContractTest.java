package io.dynamo.core.causality;

import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.tck.CausalitySchemeContractTest;
import org.junit.jupiter.api.Nested;

/** The built-in schemes that promise the contract pass it ({@code plain-vector-clock} is a baseline that does not). */
class BuiltinSchemesContractTest {
    @Nested
    class VectorClockWithWriterSlots extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new WriterSlots();
        }
    }

    @Nested
    class DottedVersionVectorsContract extends CausalitySchemeContractTest {
        @Override
        protected CausalityScheme createScheme() {
            return new DottedVersionVectors();
        }
    }
}

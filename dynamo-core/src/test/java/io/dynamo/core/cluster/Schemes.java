package io.dynamo.core.cluster;

import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.spi.causality.CausalityScheme;
import java.util.stream.Stream;

/** The causality schemes cluster scenarios run under. */
public final class Schemes {
    private Schemes() {}

    public static Stream<CausalityScheme> both() {
        return Stream.of(new WriterSlots(), new DottedVersionVectors());
    }
}

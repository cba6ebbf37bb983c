package ${package};

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A merge for a monotonic register (a high-water mark): values are decimal integers, and
 * concurrent siblings merge into their maximum under the merge of their clocks. Taking the
 * maximum is commutative, associative and idempotent, so merging a merge again (as read repair
 * does) changes nothing; it declares {@link Semantics#MERGE} and the TCK checks those laws.
 * A tombstone loses to any number. A value that is not a number is returned unchanged, as a
 * sibling, as the SPI requires of values a resolver cannot parse.
 */
final class ExampleResolver implements ConflictResolver {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,100}");

    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        List<Versioned> result = new ArrayList<>();
        List<Versioned> merged = new ArrayList<>();
        VectorClock clock = VectorClock.EMPTY;
        BigInteger largest = null;
        for (Versioned version : versions) {
            Optional<BigInteger> number = version.tombstone() ? Optional.empty() : parse(version.value());
            if (!version.tombstone() && number.isEmpty()) {
                result.add(version); // not ours to interpret: kept as it is
                continue;
            }
            merged.add(version);
            clock = clock.merge(version.clock());
            if (number.isPresent()) {
                largest = largest == null ? number.get() : largest.max(number.get());
            }
        }
        if (merged.size() == 1) {
            result.add(merged.get(0));
        } else if (merged.size() > 1) {
            result.add(largest == null ? Versioned.tombstone(clock) : Versioned.of(clock, Bytes.utf8(largest.toString())));
        }
        return result;
    }

    @Override
    public Semantics semantics() {
        return Semantics.MERGE;
    }

    private static Optional<BigInteger> parse(Bytes value) {
        String text = new String(value.toByteArray(), StandardCharsets.UTF_8).trim();
        return NUMBER.matcher(text).matches() ? Optional.of(new BigInteger(text)) : Optional.empty();
    }
}

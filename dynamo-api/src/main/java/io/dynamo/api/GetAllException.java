package io.dynamo.api;

import java.util.Map;

/**
 * Some keys of a {@link DynamoStore#getAll} failed. The others' results are kept:
 * {@link #results()} holds every key read, {@link #failures()} the exception of every key that was
 * not (each as {@link DynamoStore#get} would have thrown it).
 */
public class GetAllException extends DynamoException {
    private final transient Map<Bytes, ReadResult> results;
    private final transient Map<Bytes, DynamoException> failures;

    public GetAllException(Map<Bytes, ReadResult> results, Map<Bytes, DynamoException> failures) {
        super(describe(results, failures));
        this.results = Map.copyOf(results);
        this.failures = Map.copyOf(failures);
    }

    private static String describe(Map<Bytes, ReadResult> results, Map<Bytes, DynamoException> failures) {
        Map.Entry<Bytes, DynamoException> first = failures.entrySet().iterator().next();
        return failures.size() + " of " + (results.size() + failures.size()) + " keys could not be read (e.g. "
                + first.getKey() + ": " + first.getValue().getMessage() + "); failures() names each, results() holds"
                + " the others";
    }

    /** The keys that were read. */
    public Map<Bytes, ReadResult> results() {
        return results;
    }

    /** The keys that were not, each with why. */
    public Map<Bytes, DynamoException> failures() {
        return failures;
    }
}

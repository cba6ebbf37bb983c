package io.dynamo.api;

/**
 * Fewer of the key's primary replicas (the first N distinct owners in its preference list, not
 * stand-ins holding hints) answered than the request's {@code pr} (reads) or {@code pw} (writes)
 * required. {@link #required()} is pr or pw, {@link #answered()} how many primaries answered,
 * {@link #asked()} how many primaries were asked.
 *
 * <p>As with any {@link QuorumException}, a write that fails so may have been stored on the
 * replicas and stand-ins that did acknowledge it; it is not rolled back, and a later read may
 * return it (Riak documents the same for {@code pw}). A write refused before any primary was
 * asked, because too few were up, stored nothing; its message says so.
 */
public class PrimaryQuorumException extends QuorumException {
    public PrimaryQuorumException(String message, String operation, int required, int answered, int asked) {
        super(message, operation, required, answered, asked);
    }
}

package io.dynamo.resolver.crdt;

import io.dynamo.api.InvalidArgumentException;

/**
 * A change that would take a value past a bound of its format (elements, actors, a count): the
 * bounds are part of the value format, so that every node and client agrees on what is valid,
 * and the message says which bound and what to do instead.
 */
public class CrdtLimitException extends InvalidArgumentException {
    public CrdtLimitException(String message) {
        super(message);
    }
}

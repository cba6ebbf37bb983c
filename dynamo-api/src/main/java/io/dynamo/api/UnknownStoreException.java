package io.dynamo.api;

/**
 * A request named a store the node does not have; the message names the store and lists the
 * node's stores. Final: asking another node of the same cluster gives the same answer.
 */
public class UnknownStoreException extends InvalidArgumentException {
    public UnknownStoreException(String message) {
        super(message);
    }
}

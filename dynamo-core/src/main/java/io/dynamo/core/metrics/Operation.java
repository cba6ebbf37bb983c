package io.dynamo.core.metrics;

import java.util.Locale;

/** A client operation, as the {@code operation} tag of the request meters. */
public enum Operation {
    GET,
    PUT,
    DELETE;

    /** The tag value: {@code get}, {@code put}, {@code delete}. */
    public final String tag = name().toLowerCase(Locale.ROOT);
}

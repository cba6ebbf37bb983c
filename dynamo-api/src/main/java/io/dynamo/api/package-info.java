/**
 * The value types a client of the store sees: keys and values ({@link io.dynamo.api.Bytes}),
 * vector clocks and versions, read results with their causal context, and the exceptions.
 */
package io.dynamo.api;

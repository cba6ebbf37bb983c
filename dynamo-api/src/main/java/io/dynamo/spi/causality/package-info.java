/**
 * Causality schemes: the extension point that decides the clock of a new write (vector clocks
 * with writer slots, dotted version vectors, ...). See {@link io.dynamo.spi.causality.CausalityScheme}.
 */
package io.dynamo.spi.causality;

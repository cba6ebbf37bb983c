/**
 * The built-in causality schemes: {@link io.dynamo.core.causality.WriterSlots} ({@code vector-clock}),
 * {@link io.dynamo.core.causality.DottedVersionVectors} ({@code dvv}) and, for comparisons only,
 * {@link io.dynamo.core.causality.PlainVectorClocks} ({@code plain-vector-clock}).
 */
package io.dynamo.core.causality;

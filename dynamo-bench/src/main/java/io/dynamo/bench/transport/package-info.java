/**
 * The transport ceiling for the cluster benchmark: {@link io.dynamo.bench.transport.EchoCeiling}
 * runs a closed-loop request/response echo against a server in a child JVM, over bare Netty
 * ({@code raw}) and over the tcp transport ({@code tcp}), with the same payload, client threads,
 * connections and I/O threads, and prints throughput, p50/p99/p99.9 (HdrHistogram) and the
 * ratio tcp/raw.
 *
 * <pre>
 * mvn -pl dynamo-bench -am package -DskipTests
 * java -cp dynamo-bench/target/benchmarks.jar io.dynamo.bench.transport.EchoCeiling \
 *     --threads 16 --payload 100 --duration 10 --warmup 3 [--set tcp-key=value ...]
 * </pre>
 */
package io.dynamo.bench.transport;

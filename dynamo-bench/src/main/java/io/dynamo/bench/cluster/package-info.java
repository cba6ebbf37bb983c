/**
 * Throughput of an in-process cluster (3 nodes, N = 3, R = 2, W = 2, {@code memory} engine) over
 * the real-time {@code local} transport, through the client library. Run:
 * <pre>
 * mvn -pl dynamo-bench -am package -DskipTests
 * java -jar dynamo-bench/target/benchmarks.jar ClusterThroughputBenchmark -f 1 -wi 2 -w 3s -i 5 -r 3s -t 4
 * </pre>
 */
package io.dynamo.bench.cluster;

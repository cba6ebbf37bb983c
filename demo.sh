#!/bin/sh
# Builds Dynamo, starts a local 3-node cluster (separate JVMs on 127.0.0.1, embedded defaults:
# md5 + chronicle + tcp, vector-clock resolver, dvv causality, N=3 R=2 W=2), shows a put, a get, two concurrent writes
# coming back as siblings and their reconciliation, the ring, then stops the cluster.
set -eu
cd "$(dirname "$0")"

mvn -B -q -ntp package -DskipTests
dynamo=./dynamo-server/target/dynamo/bin/dynamo
export DYNAMO_CLUSTER_DIR="${DYNAMO_CLUSTER_DIR:-$PWD/target/demo-cluster}"
trap '"$dynamo" cluster stop' EXIT

"$dynamo" cluster start --nodes 3

step() { printf '\n== %s\n' "$*"; }
context_of() { "$dynamo" get "$1" | sed -n 's/^context: //p'; }

step "put cart book; get cart"
"$dynamo" put cart book
"$dynamo" get cart

step "two clients write from the same context: the writes are concurrent"
context=$(context_of cart)
"$dynamo" put cart "book,pen" --context "$context"
"$dynamo" put cart "book,lamp" --context "$context"
"$dynamo" get cart

step "merge the siblings and write with the context that covers both"
"$dynamo" put cart "book,lamp,pen" --context "$(context_of cart)"
"$dynamo" get cart

step "the ring"
"$dynamo" status

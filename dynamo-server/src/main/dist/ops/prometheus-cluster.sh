#!/usr/bin/env bash
# Starts a 3-node local Dynamo cluster and a Prometheus scraping it, both on 127.0.0.1 only;
# `stop` stops both. Needs the `prometheus` binary on the PATH (Debian: apt-get install prometheus).
#
#   ops/prometheus-cluster.sh start [DIR]   # cluster in DIR (default ./dynamo-cluster), Prometheus at :9090
#   ops/prometheus-cluster.sh stop  [DIR]
#
# Environment: DYNAMO_BASE_PORT (7001; metrics endpoints at +1000), PROMETHEUS_PORT (9090), NODES (3).
# Then open http://127.0.0.1:9090 (query e.g. rate(dynamo_coordinator_requests_seconds_count[1m])),
# or import ops/grafana-dashboard.json into a Grafana that reads this Prometheus.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dynamo="$here/../bin/dynamo"
command="${1:-start}"
dir="$(realpath -m "${2:-${DYNAMO_CLUSTER_DIR:-dynamo-cluster}}")"
base_port="${DYNAMO_BASE_PORT:-7001}"
metrics_base=$((base_port + 1000))
prometheus_port="${PROMETHEUS_PORT:-9090}"
nodes="${NODES:-3}"

case "$command" in
  start)
    command -v prometheus >/dev/null || { echo "prometheus is not on the PATH (apt-get install prometheus)" >&2; exit 1; }
    "$dynamo" cluster start --nodes "$nodes" --dir "$dir" --base-port "$base_port" --metrics-base-port "$metrics_base"
    targets=""
    for ((i = 0; i < nodes; i++)); do
      targets+="${targets:+, }'127.0.0.1:$((metrics_base + i))'"
    done
    mkdir -p "$dir/prometheus"
    sed -e "s/^\( *- targets: \)\[.*\]$/\1[$targets]/" "$here/prometheus.yml" > "$dir/prometheus/prometheus.yml"
    nohup prometheus --config.file="$dir/prometheus/prometheus.yml" --storage.tsdb.path="$dir/prometheus/data" \
        --web.listen-address="127.0.0.1:$prometheus_port" > "$dir/prometheus/prometheus.log" 2>&1 &
    echo $! > "$dir/prometheus/pid"
    echo "prometheus pid $(cat "$dir/prometheus/pid") at http://127.0.0.1:$prometheus_port scraping $targets"
    echo "stop both with: $0 stop $dir"
    ;;
  stop)
    if [[ -f "$dir/prometheus/pid" ]]; then
      kill "$(cat "$dir/prometheus/pid")" 2>/dev/null || true
      rm -f "$dir/prometheus/pid"
    fi
    "$dynamo" cluster stop --dir "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac

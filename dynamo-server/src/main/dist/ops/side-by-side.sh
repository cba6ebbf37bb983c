#!/usr/bin/env bash
# Compares two clusters on one machine fairly: both run at the same time (3 local nodes each), and
# short benchmark segments drive them in turn (A B, B A, A B, ...), so whatever the machine does
# (other tenants, frequency changes, noisy neighbours) falls on both alike. Round 1 warms the JITs
# and is dropped; each later round gives a B/A ratio; the summary is the median ratio and its
# quartiles. A and B may be two builds (two distribution directories) or two settings of one.
#
#   ops/side-by-side.sh A_HOME "A_ARGS" B_HOME "B_ARGS"
#   e.g. ops/side-by-side.sh . "--set metrics.enabled=false" . ""      # the cost of metrics
#
# A_HOME/B_HOME: distribution directories (with bin/dynamo); A_ARGS/B_ARGS: more `cluster start`
# arguments. Environment: ROUNDS (16), WORKLOAD (a), SEGMENT (10s), THREADS (16), RECORDS (100000),
# PORT_A (17301), PORT_B (17401), WORK (a new temporary directory; each cluster's data goes there
# and is deleted at the end; the figures of every segment and the load generator's logs stay). Only
# 127.0.0.1 is used.
set -euo pipefail
[ $# -eq 4 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
a_home=$(realpath "$1"); a_args=$2; b_home=$(realpath "$3"); b_args=$4
rounds=${ROUNDS:-16}; workload=${WORKLOAD:-a}; segment=${SEGMENT:-10s}; threads=${THREADS:-16}
records=${RECORDS:-100000}; port_a=${PORT_A:-17301}; port_b=${PORT_B:-17401}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
results=$work/segments.txt
: > "$results"

nodes() { echo "127.0.0.1:$1,127.0.0.1:$(($1 + 1)),127.0.0.1:$(($1 + 2))"; }

stop_all() {
  DYNAMO_CLUSTER_DIR=$work/A "$a_home/bin/dynamo" cluster stop > /dev/null 2>&1 || true
  DYNAMO_CLUSTER_DIR=$work/B "$b_home/bin/dynamo" cluster stop > /dev/null 2>&1 || true
  rm -rf "$work/A" "$work/B"
}
trap stop_all EXIT

start() { # name home port args
  # shellcheck disable=SC2086 # the args are words on purpose
  DYNAMO_CLUSTER_DIR=$work/$1 "$2/bin/dynamo" cluster start --nodes 3 --base-port "$3" $4 > "$work/$1.start.log"
  "$2/bin/dynamo" bench --nodes "$(nodes "$3")" --load --records "$records" --workload c --threads "$threads" \
      --warmup 5s --duration 10s > "$work/$1.load.log"
}

segment() { # name home port round
  "$2/bin/dynamo" bench --nodes "$(nodes "$3")" --records "$records" --workload "$workload" --threads "$threads" \
      --warmup 3s --duration "$segment" > "$work/$1.segment.log"
  awk -v name="$1" -v round="$4" '/^total /{t=$3} /^read /{r50=$4; r99=$5} /^update /{u50=$4; u99=$5}
      END {print name, round, t, r50, r99, u50, u99}' "$work/$1.segment.log" | tee -a "$results"
}

start A "$a_home" "$port_a" "$a_args"
start B "$b_home" "$port_b" "$b_args"
echo "name round ops/s read-p50 read-p99 update-p50 update-p99 (ms)"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    segment A "$a_home" "$port_a" "$r"; segment B "$b_home" "$port_b" "$r"
  else
    segment B "$b_home" "$port_b" "$r"; segment A "$a_home" "$port_a" "$r"
  fi
done

# per measure: the medians of A and B, and the median and quartiles of the per-round ratios B/A
awk '
  function sortn(v, n,   i, j, t) { for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t } }
  function median(v, n) { sortn(v, n); return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  $2 > 1 { for (i = 3; i <= NF; i++) value[$1, $2, i] = $i; if ($2 > last) last = $2; fields = NF }
  END {
    split("ops/s read-p50 read-p99 update-p50 update-p99", label, " ")
    for (i = 3; i <= fields; i++) {
      n = 0
      for (r = 2; r <= last; r++) if ((("A", r, i) in value) && (("B", r, i) in value) && value["A", r, i] > 0) {
        n++; a[n] = value["A", r, i]; b[n] = value["B", r, i]; ratio[n] = b[n] / a[n]
      }
      if (n == 0) continue
      ma = median(a, n); mb = median(b, n); mr = median(ratio, n); q = int(n / 4)
      printf "%-10s A %10.3f  B %10.3f  B/A %.3f (quartiles %.3f-%.3f, %d rounds)\n", label[i - 2], ma, mb, mr, ratio[q + 1], ratio[n - q], n
    }
  }' "$results"
echo "each segment's figures (segments.txt) and the load generator's logs: $work"

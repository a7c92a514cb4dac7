# Helpers of scripts/benchmark.sh (sourced): processes, /proc sampling, the markdown row.
# shellcheck shell=bash

CLK_TCK=$(getconf CLK_TCK)

log() { echo "benchmark: $*" >&2; }

# cpu_seconds PID: user + system CPU time of a live process, in seconds (fields 14 and 15 of
# /proc/PID/stat, after the command name, which may contain spaces: hence the cut at the last ')').
cpu_seconds() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  awk -v t="$CLK_TCK" '{ printf "%.2f", ($12 + $13) / t }' <<<"$stat"
}

# status_kib PID FIELD: a /proc/PID/status field in KiB (VmRSS: now, VmHWM: peak since start).
status_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# heap_used_mib PID: the Java heap in use now, from jcmd GC.heap_info ("... total 262144K, used 123456K").
heap_used_mib() {
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); printf "%.0f", v / 1024; exit } }'
}

# redis_conns PID: established TCP connections of PID to Redis (port 6379).
redis_conns() { ss -tnp state established '( dport = :6379 )' 2>/dev/null | grep -c "pid=$1," || true; }

# start_java PIDVAR NAME LOGFILE READY_REGEX "ENV=V ..." "JVM OPTS" ARGS...: starts java in the background with
# the given environment (ECO2_* of the caller's shell removed, as the e2e tests do), waits for READY_REGEX
# in its output and stores the pid in PIDVAR. Not in a subshell, so STARTED_PIDS (the cleanup list) sees it.
start_java() {
  local var=$1 name=$2 logfile=$3 ready=$4 envs=$5 opts=$6
  shift 6
  # shellcheck disable=SC2086
  env $(env | awk -F= '/^ECO2_/ { printf "-u %s ", $1 }') $envs java $opts "$@" >"$logfile" 2>&1 &
  local pid=$! i
  STARTED_PIDS+=("$pid")
  for ((i = 0; i < 600; i++)); do
    grep -Eq "$ready" "$logfile" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { log "$name exited before it was ready:"; tail -20 "$logfile" >&2; return 1; }
    sleep 0.1
  done
  grep -Eq "$ready" "$logfile" || { log "$name not ready within 60 s (log: $logfile)"; return 1; }
  log "$name up (pid $pid, log $logfile)"
  printf -v "$var" '%s' "$pid"
}

# stop_pid PID: SIGTERM, then SIGKILL after the drain time; only processes this script started.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 400; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# others_cpu_start / others_cpu_note: CPU seconds used during the run by every process this script did not
# start (other users of the host), from /proc/stat minus the listed pids: "12.3 s (0.21 cores)".
others_cpu_start() {
  OTHERS_T0=$(date +%s.%N)
  OTHERS_TOTAL0=$(awk '/^cpu / { print ($2 + $3 + $4 + $7 + $8) }' /proc/stat)
  OTHERS_OURS0=$(ours_ticks)
}
ours_ticks() {
  local pid total=0 stat
  for pid in "${pids[@]}" $(pgrep -f "eco2-loadgen.jar" || true); do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    total=$(awk -v t="$total" '{ print t + $12 + $13 }' <<<"$stat")
  done
  echo "$total"
}
others_cpu_note() {
  local total1 ours1 t1
  total1=$(awk '/^cpu / { print ($2 + $3 + $4 + $7 + $8) }' /proc/stat)
  ours1=$(ours_ticks)
  t1=$(date +%s.%N)
  awk -v a="$OTHERS_TOTAL0" -v b="$total1" -v o0="$OTHERS_OURS0" -v o1="$ours1" -v t0="$OTHERS_T0" -v t1="$t1" -v hz="$CLK_TCK" \
    'BEGIN { s = ((b - a) - (o1 - o0)) / hz; if (s < 0) s = 0; printf "%.0f s (%.2f cores)", s, s / (t1 - t0) }'
}

# md_row SUMMARY_JSON SCENARIO CPU_CSV RSS_CSV NOTE: one markdown table row from the generator's summary.
# CPU_CSV: "api=12.3,worker=45.6" CPU seconds during the run per process (divided by completed jobs here);
# RSS_CSV: "api=512,worker=300" peak RSS MiB.
md_row() {
  jq -r --arg scenario "$2" --arg cpu "$3" --arg rss "$4" --arg note "$5" '
    def s(x): (x / 1000 * 10 | round) / 10;
    . as $r
    | ($r.latency_ms.end_to_end) as $e
    | ($r.latency_ms.provider_bound) as $p
    | ([$cpu | split(",")[] | select(length > 0) | split("=")
        | "\(.[0]) \(if $r.completed > 0 then ((.[1] | tonumber) / $r.completed * 100000 | round) / 100 else "-" end)"] | join(", ")) as $cpuPerJob
    | "| \($scenario) | \($r.users) | \($r.iterations) | \($r.completion_pct) % | \($r.partial) / \($r.failed) | "
      + "\(s($e.p50)) / \(s($e.p95)) / \(s($e.p99)) | \(if $p.count > 0 then s($p.p95) else "n/a" end) | "
      + "\(if $p.count > 0 and $p.p95 > 0 then ((($e.p95 / $p.p95) - 1) * 1000 | round) / 10 | tostring + " %" else "n/a" end) | "
      + "\($r.throughput.completed_per_min_hold) | \($r.throughput.closed_loop_bound_per_min) | \($r.throughput.hold_vs_bound_pct) % | "
      + "\($cpuPerJob) | \($rss) | \($r.violations.total) | \($note) |"' "$1"
}

md_header() {
  echo "| scenario | users | iterations | completed | partial / failed | e2e p50 / p95 / p99 (s) | provider-bound p95 (s) | e2e p95 over bound | completed/min (hold) | closed-loop bound/min | of bound | CPU ms/job | peak RSS MiB | violations | notes |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
}

#!/usr/bin/env bash
# Runs a benchmark scenario and prints its markdown table (docs/BENCHMARKS.md explains every column).
#
#   scripts/benchmark.sh embedded [users...]          default users: 50 500 1000 2000
#   scripts/benchmark.sh distributed [users...]       API JVM + worker JVM + RabbitMQ + Redis
#   scripts/benchmark.sh idle [streams]               default 10000; one engine JVM with -Xmx512m
#   scripts/benchmark.sh idle-distributed [streams]   API JVM (-Xmx512m) + worker; also counts Redis connections
#
# Environment (all optional): CONFIG=default|tuned (default: the engine's own defaults, only mode and the
# per-run prefixes set; tuned: scripts/bench/{embedded,distributed}.yaml, stages sized for 2,000 users) RAMP_UP=30s HOLD=60s RAMP_DOWN=30s THINK=1s-2s LOAD_MODE=stream|poll
# LATENCY_SCALE=1.0 (simulated/fake LLM latency; 1.0 = full) TRICKLE=2 (idle: jobs/s) WATCH=newest|spread
# (idle: all streams follow the newest job, or each a random recent one) PORT=18480
# WARMUP=0s (closed loop: unmeasured load on the same processes before the measured run, e.g. 90s)
# ENGINE_OPTS (JVM options of engine processes; idle adds -Xmx512m) OUT_DIR=benchmark-results/<time>
# LOADGEN_ARGS (extra generator options).
#
# Every run starts fresh processes (so peak RSS is the run's own), samples their CPU time from /proc
# before and after the load, stops them, and appends one row to $OUT_DIR/table.md. Builds the jars first
# when they are missing (never `mvn install`: the reactor build stays inside this checkout).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

SCENARIO=${1:-}
shift || true
RAMP_UP=${RAMP_UP:-30s}
WARMUP=${WARMUP:-0s}
HOLD=${HOLD:-60s}
RAMP_DOWN=${RAMP_DOWN:-30s}
THINK=${THINK:-1s-2s}
LOAD_MODE=${LOAD_MODE:-stream}
LATENCY_SCALE=${LATENCY_SCALE:-1.0}
TRICKLE=${TRICKLE:-2}
WATCH=${WATCH:-newest}
PORT=${PORT:-18480}
CONFIG=${CONFIG:-default}
ENGINE_OPTS=${ENGINE_OPTS:-}
LOADGEN_ARGS=${LOADGEN_ARGS:-}
OUT_DIR=${OUT_DIR:-$ROOT/benchmark-results/$(date -u +%Y%m%dT%H%M%SZ)-$SCENARIO}
STARTED_PIDS=()
case "$CONFIG" in
  default) EMBEDDED_YAML=$ROOT/scripts/bench/default-embedded.yaml; DISTRIBUTED_YAML=$ROOT/scripts/bench/default-distributed.yaml ;;
  tuned) EMBEDDED_YAML=$ROOT/scripts/bench/embedded.yaml; DISTRIBUTED_YAML=$ROOT/scripts/bench/distributed.yaml ;;
  *) echo "CONFIG must be default or tuned, got $CONFIG" >&2; exit 2 ;;
esac

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

case "$SCENARIO" in
  embedded | distributed) [[ $# -gt 0 ]] || set -- 50 500 1000 2000 ;;
  idle | idle-distributed) [[ $# -gt 0 ]] || set -- 10000 ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

LOADGEN_JAR=$ROOT/tests/target/eco2-loadgen.jar
ENGINE_JAR=$ROOT/stages/target/eco2-pipeline.jar
if [[ ! -f $LOADGEN_JAR || ! -f $ENGINE_JAR ]]; then
  log "building the jars (mvn -q -o package -DskipTests)"
  (cd "$ROOT" && mvn -q -o package -DskipTests)
fi
mkdir -p "$OUT_DIR"
TABLE=$OUT_DIR/table.md
to_seconds() { case $1 in *ms) echo $(( ${1%ms} / 1000 ));; *m) echo $(( ${1%m} * 60 ));; *s) echo "${1%s}";; *) echo "$1";; esac; }

FAKE_CLASS=$ROOT/tests/target/classes/io/eco2/tests/fakeopenai/FakeOpenAiServer.class
LLM_NOTE="simulated LLM (latency x$LATENCY_SCALE)"
LLM_ENV="ECO2_LLM_SIMULATED_LATENCY_SCALE=$LATENCY_SCALE"

# Distributed: the fake OpenAI-compatible server when this build has it, else the simulated provider in the
# worker (said in the notes column). Its provider keys exist only in builds that have the openai provider.
start_llm() {
  if [[ -f $FAKE_CLASS ]]; then
    start_java FAKE_PID fake-openai "$OUT_DIR/fake-openai-$1.log" "listening on" "" "" \
      -cp "$ROOT/tests/target/classes:$ENGINE_JAR" io.eco2.tests.fakeopenai.FakeOpenAiServer \
      --port $((PORT + 9)) --latency-scale "$LATENCY_SCALE"
    # No pool sizing here: llm.max-connections follows the stages' concurrency by default (issue 14).
    LLM_ENV="ECO2_LLM_PROVIDER=openai ECO2_LLM_BASE_URL=http://127.0.0.1:$((PORT + 9))/v1"
    LLM_NOTE="fake OpenAI server (latency x$LATENCY_SCALE)"
  else
    FAKE_PID=""
    LLM_NOTE="simulated LLM in the worker (latency x$LATENCY_SCALE): the fake OpenAI server is not in this build"
  fi
}

# run_loadgen NAME USERS MODE [ARGS...]: runs the generator under /usr/bin/time (its CPU and peak RSS).
run_loadgen() {
  local name=$1 users=$2 mode=$3
  shift 3
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S %M" -o "$OUT_DIR/$name.time" java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$PORT" \
    --users "$users" --mode "$mode" --ramp-up "$RAMP_UP" --hold "$HOLD" --ramp-down "$RAMP_DOWN" --think "$THINK" \
    --label "$name" --out "$OUT_DIR/$name.json" "$@" $LOADGEN_ARGS
}
loadgen_cpu() { awk '{ printf "%.2f", $1 + $2 }' "$OUT_DIR/$1.time"; }
loadgen_rss() { awk '{ printf "%.0f", $3 / 1024 }' "$OUT_DIR/$1.time"; }
mib() { awk -v k="${1:-0}" 'BEGIN { printf "%.0f", k / 1024 }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# hold_cpu_note SAMPLES SUMMARY_JSON "NAMES": "api 3.1, worker 5.2" from the hold's two CPU samples and its jobs.
hold_cpu_note() {
  local jobs
  jobs=$(jq -r --argjson hold "$(to_seconds "$HOLD")" '.throughput.completed_per_min_hold * $hold / 60' "$2")
  awk -v jobs="$jobs" -v names="$3" 'NR == 1 { n = split($0, a, " ") } NR == 2 { split($0, b, " ") }
    END { split(names, nm, " "); if (jobs <= 0 || NR < 2) { print "-"; exit }
          for (i = 1; i <= n; i++) printf "%s%s %.2f", (i > 1 ? ", " : ""), nm[i], (b[i] - a[i]) * 1000 / jobs; print "" }' "$1"
}

# One closed-loop run: fresh processes, load, CPU and peak RSS per process, one table row.
run_closed_loop() {
  local users=$1 name=$SCENARIO-$1 prefix pids=() names=() cpu0=() cpu_csv="" rss_csv="" i
  if [[ $SCENARIO == embedded ]]; then
    start_java API_PID engine "$OUT_DIR/$name-engine.log" "ready on http" "ECO2_HTTP_PORT=$PORT $LLM_ENV" \
      "$ENGINE_OPTS" -jar "$ENGINE_JAR" --config "$EMBEDDED_YAML"
    pids=("$API_PID"); names=(engine)
  else
    prefix="bench$(date +%s)u$users"
    start_llm "$name"
    start_redis "$name"
    local common="ECO2_REDIS_KEY_PREFIX=$prefix ECO2_RABBITMQ_QUEUE_PREFIX=$prefix ECO2_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
    start_java WORKER_PID worker "$OUT_DIR/$name-worker.log" "ready on http" "ECO2_HTTP_PORT=$((PORT + 1)) $common $LLM_ENV" \
      "$ENGINE_OPTS" -jar "$ENGINE_JAR" --config "$DISTRIBUTED_YAML" --role worker
    start_java API_PID api "$OUT_DIR/$name-api.log" "ready on http" "ECO2_HTTP_PORT=$PORT $common" \
      "$ENGINE_OPTS" -jar "$ENGINE_JAR" --config "$DISTRIBUTED_YAML" --role api
    pids=("$API_PID" "$WORKER_PID"); names=(api worker)
    if [[ -n $FAKE_PID ]]; then pids+=("$FAKE_PID"); names+=(fake-openai); fi
    pids+=("$REDIS_PID"); names+=(redis)
    # The broker is the host's shared one: its CPU includes whatever else uses it meanwhile (the notes say so).
    if [[ -n $BROKER_PID ]]; then pids+=("$BROKER_PID"); names+=(rabbitmq); fi
  fi
  if [[ $(to_seconds "$WARMUP") -gt 0 ]]; then
    # Unmeasured load first, on the same processes: the JIT compiles the hot paths (its compiler threads took
    # about half of a cold worker's CPU 30-75 s into a run), so the figures below are a long-running
    # process's, as production runs them. CPU, commands and jobs are counted from here on.
    log "warm-up: $users users for $WARMUP (not measured)"
    RAMP_UP=10s HOLD=$WARMUP RAMP_DOWN=5s run_loadgen "$name-warmup" "$users" "$LOAD_MODE" >"$OUT_DIR/$name-warmup.txt.out"
  fi
  local commands0=0
  [[ $SCENARIO == distributed ]] && commands0=$(redis_commands)
  for i in "${!pids[@]}"; do cpu0[i]=$(cpu_seconds "${pids[i]}"); done
  RUN_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  others_cpu_start
  # Steady state beside the whole run: each process's CPU over the hold alone (after the ramp-up, when the
  # JIT has compiled the hot paths; C2 was about a quarter of the API's CPU in a 2-minute run), divided by
  # the jobs completed in the hold. Sampled in the background at the hold's start and end.
  local hold_cpu="$OUT_DIR/$name.hold-cpu"
  ( sleep "$(to_seconds "$RAMP_UP")"; for i in "${!pids[@]}"; do printf '%s ' "$(cpu_seconds "${pids[i]}")"; done; echo
    sleep "$(to_seconds "$HOLD")"; for i in "${!pids[@]}"; do printf '%s ' "$(cpu_seconds "${pids[i]}")"; done; echo ) >"$hold_cpu" &
  local hold_sampler=$!
  run_loadgen "$name" "$users" "$LOAD_MODE" >"$OUT_DIR/$name.txt.out"
  wait "$hold_sampler" 2>/dev/null || true
  cat "$OUT_DIR/$name.txt.out" >&2
  for i in "${!pids[@]}"; do
    cpu_csv+="${names[i]}=$(delta "${cpu0[i]}" "$(cpu_seconds "${pids[i]}")"),"
    rss_csv+="${names[i]} $(mib "$(status_kib "${pids[i]}" VmHWM)"), "
  done
  cpu_csv+="loadgen=$(loadgen_cpu "$name")"
  rss_csv+="loadgen $(loadgen_rss "$name")"
  local note="$LLM_NOTE; load average before $RUN_LOAD"
  if [[ $SCENARIO == distributed ]]; then
    # Every command of the run, all processes, as Redis executed them (a script's own commands included).
    local commands completed
    commands=$(( $(redis_commands) - commands0 ))
    completed=$(jq -r .completed "$OUT_DIR/$name.json")
    redis-cli -p "$REDIS_PORT" INFO commandstats >"$OUT_DIR/$name-redis-commandstats.txt"
    note+="; Redis commands/job $(awk -v c="$commands" -v n="$completed" 'BEGIN { printf "%.1f", (n > 0 ? c / n : 0) }') (all executed, whole run)"
  fi
  note+="; CPU ms/job in the hold (steady state): $(hold_cpu_note "$hold_cpu" "$OUT_DIR/$name.json" "${names[*]}")"
  note+="; other processes' CPU during the run: $(others_cpu_note)"
  for i in "${!pids[@]}"; do [[ ${names[i]} == rabbitmq ]] || stop_pid "${pids[i]}"; done
  md_row "$OUT_DIR/$name.json" "$SCENARIO ($LOAD_MODE, $CONFIG config)" "$cpu_csv" "$rss_csv" "$note" | tee -a "$TABLE"
}

# A Redis of this run's own (free port, no persistence): its commands and CPU are the run's alone.
start_redis() {
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >"$OUT_DIR/redis-$1.log" 2>&1 &
  REDIS_PID=$!
  STARTED_PIDS+=("$REDIS_PID")
  local i
  for ((i = 0; i < 100; i++)); do redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break; sleep 0.1; done
  BROKER_PID=$(pgrep -u rabbitmq -x beam.smp | head -1 || true)
}
redis_commands() { redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/ { print $2 + 0 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Idle: N streams held on one API JVM (-Xmx512m) while a trickle of jobs runs; heap, RSS and Redis
# connections sampled every 5 s during the hold.
run_idle() {
  local streams=$1 name=$SCENARIO-$1 api_opts="$ENGINE_OPTS -Xmx512m" samples redis0="-" prefix
  samples=$OUT_DIR/$name-samples.tsv
  if [[ $SCENARIO == idle ]]; then
    start_java API_PID engine "$OUT_DIR/$name-engine.log" "ready on http" "ECO2_HTTP_PORT=$PORT $LLM_ENV" \
      "$api_opts" -jar "$ENGINE_JAR" --config "$EMBEDDED_YAML"
  else
    prefix="bench$(date +%s)idle$streams"
    start_llm "$name"
    local common="ECO2_REDIS_KEY_PREFIX=$prefix ECO2_RABBITMQ_QUEUE_PREFIX=$prefix"
    start_java WORKER_PID worker "$OUT_DIR/$name-worker.log" "ready on http" "ECO2_HTTP_PORT=$((PORT + 1)) $common $LLM_ENV" \
      "$ENGINE_OPTS" -jar "$ENGINE_JAR" --config "$DISTRIBUTED_YAML" --role worker
    start_java API_PID api "$OUT_DIR/$name-api.log" "ready on http" "ECO2_HTTP_PORT=$PORT $common" \
      "$api_opts" -jar "$ENGINE_JAR" --config "$DISTRIBUTED_YAML" --role api
    redis0=$(redis_conns "$API_PID")
  fi
  local cpu0 from to
  cpu0=$(cpu_seconds "$API_PID")
  from=$(to_seconds "$RAMP_UP"); to=$((from + $(to_seconds "$HOLD")))
  ( sleep "$from"; printf 'elapsed_s\theap_used_mib\trss_mib\tredis_conns\n'
    for ((t = from; t < to; t += 5)); do
      printf '%s\t%s\t%s\t%s\n' "$t" "$(heap_used_mib "$API_PID")" "$(mib "$(status_kib "$API_PID" VmRSS)")" "$(redis_conns "$API_PID")"
      sleep 5
    done ) >"$samples" &
  local sampler=$!
  # The separate light client (docs/BENCHMARKS.md): 20 streams of their own process, opened once the big
  # generator holds its streams, so the delay it sees is the engine's and not the busy generator's.
  local light_hold=$(( $(to_seconds "$HOLD") - 10 ))
  ( sleep "$from"
    java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$PORT" --users 20 --mode idle --ramp-up 2s \
      --hold "${light_hold}s" --ramp-down 2s --trickle 0.2 --watch "$WATCH" --label "$name-light" \
      --out "$OUT_DIR/$name-light.json" >"$OUT_DIR/$name-light.txt.out" 2>&1 ) &
  local light=$!
  RUN_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  run_loadgen "$name" "$streams" idle --trickle "$TRICKLE" --watch "$WATCH" >"$OUT_DIR/$name.txt.out"
  cat "$OUT_DIR/$name.txt.out" >&2
  wait "$sampler" 2>/dev/null || true
  wait "$light" 2>/dev/null || true
  local light_delay="-"
  [[ -f $OUT_DIR/$name-light.json ]] && light_delay=$(jq -r '.idle.event_delay_ms | "\(.p50) / \(.p99) / \(.max) (\(.count))"' "$OUT_DIR/$name-light.json")
  local cpu heap rss hwm redis
  cpu=$(delta "$cpu0" "$(cpu_seconds "$API_PID")")
  heap=$(awk 'NR > 1 && $2 > m { m = $2 } END { print m + 0 }' "$samples")
  rss=$(awk 'NR > 1 && $3 > m { m = $3 } END { print m + 0 }' "$samples")
  redis=$(awk 'NR > 1 && $4 > m { m = $4 } END { print m + 0 }' "$samples")
  hwm=$(mib "$(status_kib "$API_PID" VmHWM)")
  [[ $SCENARIO == idle ]] && redis="-"
  stop_pid "$API_PID"; [[ -n ${WORKER_PID:-} ]] && stop_pid "$WORKER_PID"
  jq -r --arg scenario "$SCENARIO" --arg heap "$heap" --arg rss "$rss" --arg hwm "$hwm" --arg r0 "$redis0" \
    --arg r1 "$redis" --arg cpu "$cpu" --arg light "$light_delay" \
    --arg note "$LLM_NOTE, trickle $TRICKLE jobs/s, $CONFIG config, load average before $RUN_LOAD" '
    "| \($scenario) | \(.users) | \(.idle.peak_streams_open) | \(.iterations) (\(.completion_pct) %) | "
    + "\(.idle.event_delay_ms.p50) / \(.idle.event_delay_ms.p99) / \(.idle.event_delay_ms.max) | \(.idle.event_delay_ms.count) | \($light) | "
    + "\($heap) | \($rss) / \($hwm) | \($r0) → \($r1) | \($cpu) | \(.violations.total) | \($note) |"' "$OUT_DIR/$name.json" | tee -a "$TABLE"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "scenario $SCENARIO, runs: $*, ramp $RAMP_UP / hold $HOLD / ramp-down $RAMP_DOWN, think $THINK; results in $OUT_DIR"
if [[ $SCENARIO == distributed || $SCENARIO == idle-distributed ]]; then
  "$ROOT/scripts/start-services.sh" >&2
fi
if [[ $SCENARIO == idle* ]]; then
  { echo "| scenario | streams | peak open | trickle jobs (completed) | event-to-client delay p50 / p99 / max (ms) | delay samples | light client delay p50 / p99 / max (samples) | heap used max MiB (-Xmx512m) | RSS max / peak MiB | Redis conns (before → with streams) | API CPU s | violations | notes |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"; } | tee "$TABLE"
  for n in "$@"; do run_idle "$n"; done
else
  md_header | tee "$TABLE"
  for n in "$@"; do run_closed_loop "$n"; done
fi
echo
echo "Command: CONFIG=$CONFIG scripts/benchmark.sh $SCENARIO $* (WARMUP=$WARMUP RAMP_UP=$RAMP_UP HOLD=$HOLD RAMP_DOWN=$RAMP_DOWN THINK=$THINK LOAD_MODE=$LOAD_MODE LATENCY_SCALE=$LATENCY_SCALE)"
echo "Host: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$TABLE"

#!/usr/bin/env bash
# The chart as a cluster would run it, on one host without a cluster (run after `mvn verify`):
#   1. renders helm/eco2-pipeline with Helm's engine (values ci/e2e-values.yaml) and turns the api and worker
#      Deployments and the helm test Pod into exactly what a kubelet runs: args, env (Secret references
#      resolved), the ConfigMap's and Secret's files, security context, probes, preStop, grace period;
#   2. builds the image with podman from a JRE base made of Debian packages (mmdebstrap; no registry is
#      reachable) and checks its user, labels and HEALTHCHECK;
#   3. runs the api and two worker containers read-only, non-root, with no capabilities and no privilege
#      escalation, on the host network (--network host: no bridge), against the local Redis and RabbitMQ and
#      the fake OpenAI server; polls the rendered startup, readiness and liveness probes;
#   4. runs the helm test Pod's command (submit a scan, wait for `done`) in a container of the image;
#   5. scrapes the containers with Debian's Prometheus and evaluates the Prometheus Adapter rule's query and
#      every query of the Grafana dashboard (each must return data); reads what KEDA's trigger reads;
#   6. sends SIGTERM (after the preStop command) to a worker with jobs in flight and checks that it exits
#      within its grace period and that every submitted job still ends with `done`;
#   7. checks the logs: JSON lines, job_id on the per-job-and-stage lines, no Micrometer re-registration warning.
# Removes every container and image it made, its Redis keys and RabbitMQ queues (trap on exit). Installs
# podman, runc, mmdebstrap and prometheus (scripts/install-e2e-tools.sh) when missing. Prints a timing line
# per step. Needs the fat jar and the tests jar (built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
T0=$(date +%s)
RUN="e2e$(date +%s)$((RANDOM % 1000))"
WORK=$(mktemp -d "/tmp/eco2-chart-e2e.XXXXXX")
BASE="localhost/eco2-jre-base-e2e:$RUN"
IMAGE="localhost/eco2-pipeline-e2e:$RUN"
PREFIX="$RUN"
CONTAINERS=()
IMAGES=()
PIDS=()

step() { echo "chart-e2e: [$(($(date +%s) - T0)) s] $*"; }
fail() {
  echo "chart-e2e: FAILED: $*" >&2
  for c in "${CONTAINERS[@]}"; do
    echo "---- last log lines of $c" >&2
    podman logs --tail 30 "$c" >&2 2>&1 || true
  done
  exit 1
}

cleanup() {
  local status=$?
  for c in "${CONTAINERS[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  for i in "${IMAGES[@]}"; do podman rmi -f "$i" >/dev/null 2>&1 || true; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  redis-cli --scan --pattern "$PREFIX:*" 2>/dev/null | xargs -r redis-cli del >/dev/null 2>&1 || true
  # One rabbitmqctl call for all of the run's queues (each stage has a ladder of retry delay queues: one
  # rabbitmqctl per queue took over two minutes); the per-queue loop is the fallback.
  rabbitmqctl -q eval "P = <<\"$PREFIX.\">>, length([rabbit_amqqueue:delete(Q, false, false, <<\"chart-e2e\">>) || Q <- rabbit_amqqueue:list(<<\"/\">>), binary:longest_common_prefix([element(4, amqqueue:get_name(Q)), P]) =:= byte_size(P)])." >/dev/null 2>&1 \
    || { rabbitmqctl -q list_queues name 2>/dev/null | grep "^$PREFIX\." | xargs -r -n1 rabbitmqctl -q delete_queue >/dev/null 2>&1 || true; }
  rm -rf "$WORK"
  step "cleaned up (containers, images, keys, queues); exit $status"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-3}" "$1" || true; }
# await SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.5 s until it succeeds.
await() {
  local until=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$until" ] || fail "timed out waiting for $what"
    sleep 0.5
  done
}
plan() { jq -r "$1" "$WORK/plan/plan.json"; }

# ---- 0. tools, jars, podman limits
bash scripts/install-e2e-tools.sh
JAR=stages/target/eco2-pipeline.jar
TESTS_JAR=$(ls tests/target/eco2-tests-*.jar 2>/dev/null | grep -v sources | head -1 || true)
if [ ! -s "$JAR" ] || [ -z "$TESTS_JAR" ]; then
  step "building the jars"
  mvn -B -ntp -q package -DskipTests -pl tests -am
  TESTS_JAR=$(ls tests/target/eco2-tests-*.jar | head -1)
fi
# The sandbox's hard limits are below podman's defaults (nofile/nproc 1048576): runc would refuse to start.
cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=8192:8192"]
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
step "tools ready ($(podman --version), $(prometheus --version 2>&1 | head -1 | cut -d' ' -f1-3))"

# ---- 1. render
API_PORT=$(free_port); W1_PORT=$(free_port); W2_PORT=$(free_port); LLM_PORT=$(free_port); PROM_PORT=$(free_port)
CP_FILE=helm/target/test-classpath.txt
if [ ! -s "$CP_FILE" ] || [ ! -d helm/target/test-classes/io/eco2/helm ]; then
  step "building the chart tools (helm module test classes)"
  mvn -B -ntp -q package -DskipTests -pl helm -am
fi
HELM_CP="$ROOT/helm/target/test-classes:$(cat "$CP_FILE")"
SETS=(image.tag="$RUN" config.redis.key-prefix="$PREFIX" config.rabbitmq.queue-prefix="$PREFIX"
  config.llm.base-url="http://127.0.0.1:$LLM_PORT/v1")
(cd helm && java -cp "$HELM_CP" io.eco2.helm.ContainerPlan eco2-pipeline/ci/e2e-values.yaml "$WORK/plan" "$API_PORT" "$W1_PORT,$W2_PORT" "${SETS[@]}")
# The pods' user (10001) reads the ConfigMap and Secret files, as the kubelet's volumes allow it to.
chmod 755 "$WORK" && chmod -R a+rX "$WORK/plan"
[ "$(plan .api.image)" = "$IMAGE" ] || fail "rendered image $(plan .api.image), expected $IMAGE"
step "rendered the chart (api :$API_PORT, workers :$W1_PORT :$W2_PORT, grace $(plan .worker.grace) s)"

# ---- 2. image
bash scripts/build-jre-base.sh "$BASE"
IMAGES+=("$BASE")
bash scripts/build-image.sh --no-jar --tag "$IMAGE" --base "$BASE" -- --quiet >/dev/null
IMAGES+=("$IMAGE")
INSPECT=$(podman image inspect "$IMAGE")
[ "$(jq -r '.[0].Config.User' <<<"$INSPECT")" = "10001:10001" ] || fail "image user is not 10001:10001"
jq -e '.[0].Config.Labels["org.opencontainers.image.title"] == "eco2-pipeline"' <<<"$INSPECT" >/dev/null || fail "OCI labels missing"
jq -e '(.[0].Healthcheck // .[0].Config.Healthcheck // {}).Test | length > 0' <<<"$INSPECT" >/dev/null || fail "HEALTHCHECK missing"
step "built $IMAGE on $BASE"

# ---- 3. services the pods use: the fake OpenAI server on the host
java -cp "$JAR:$TESTS_JAR" io.eco2.tests.fakeopenai.FakeOpenAiServer --port "$LLM_PORT" --api-key e2e-test-key \
  --latency-scale 0.3 --rate-500 0.05 > "$WORK/fake-openai.log" 2>&1 &
PIDS+=($!)
await 60 "the fake OpenAI server" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$LLM_PORT) 2>/dev/null"

# run_container NAME PLAN_DIR COMPONENT: podman run with exactly the rendered pod's settings.
run_container() {
  local name=$1 dir=$2 component=$3 p="$2/plan.json"
  local args=(run -d --name "$name" --network host --pull never --read-only --read-only-tmpfs=false
    --user "$(jq -r ".$component.user" "$p")" --cap-drop ALL --security-opt no-new-privileges
    --stop-timeout "$(jq -r ".$component.grace // 30" "$p")")
  [ "$(jq -r ".$component.readOnlyRootFilesystem" "$p")" = true ] || fail "$component: root file system not read-only"
  [ "$(jq -r ".$component.allowPrivilegeEscalation" "$p")" = false ] || fail "$component: privilege escalation allowed"
  [ "$(jq -r ".$component.capDrop | join(\",\")" "$p")" = ALL ] || fail "$component: capabilities not dropped"
  [ "$(jq -r ".$component.runAsNonRoot" "$p")" = true ] && [ "$(jq -r ".$component.user" "$p" | cut -d: -f1)" != 0 ] || fail "$component: runs as root"
  while IFS=$'\t' read -r k v; do args+=(-e "$k=$v"); done < <(jq -r ".$component.env | to_entries[] | [.key, .value] | @tsv" "$p")
  while read -r m; do
    case "$(jq -r .type <<<"$m")" in
      tmpfs) args+=(--tmpfs "$(jq -r .path <<<"$m"):rw,size=$(jq -r .size <<<"$m"),mode=1777") ;;
      bind) args+=(-v "$(jq -r .host <<<"$m"):$(jq -r .path <<<"$m"):$( [ "$(jq -r .readOnly <<<"$m")" = true ] && echo ro || echo rw)") ;;
    esac
  done < <(jq -c ".$component.mounts[]" "$p")
  local cmd=()
  if [ "$(jq -r ".$component.command" "$p")" != null ]; then
    args+=(--entrypoint "$(jq -r ".$component.command[0]" "$p")")
    while IFS= read -r -d '' a; do cmd+=("$a"); done < <(jq -j ".$component.command[1:][] + \"\\u0000\"" "$p")
  fi
  # NUL-separated: an argument may span lines (the helm test Pod's script does).
  while IFS= read -r -d '' a; do cmd+=("$a"); done < <(jq -j ".$component.args[] + \"\\u0000\"" "$p")
  CONTAINERS+=("$name")
  podman "${args[@]}" "$IMAGE" "${cmd[@]}" >/dev/null
}

# await_probes NAME PLAN_DIR COMPONENT: the kubelet's order: startup until it passes, then readiness and liveness.
await_probes() {
  local name=$1 p="$2/plan.json" component=$3 kind path port period threshold
  for kind in startup readiness liveness; do
    path=$(jq -r ".$component.probes.$kind.path" "$p"); port=$(jq -r ".$component.probes.$kind.port" "$p")
    period=$(jq -r ".$component.probes.$kind.periodSeconds" "$p"); threshold=$(jq -r ".$component.probes.$kind.failureThreshold" "$p")
    local tries=0
    until [ "$(http_code "http://127.0.0.1:$port$path")" = 200 ]; do
      tries=$((tries + 1))
      [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "$name exited while its $kind probe was failing"
      [ "$kind" = startup ] && [ "$tries" -ge "$threshold" ] && fail "$name: startup probe $path failed $threshold times"
      [ "$tries" -ge 240 ] && fail "$name: $kind probe $path still failing"
      sleep "$period"
    done
  done
}

run_container eco2-api-$RUN "$WORK/plan" api
run_container eco2-worker1-$RUN "$WORK/plan" worker
await_probes eco2-api-$RUN "$WORK/plan" api
await_probes eco2-worker1-$RUN "$WORK/plan" worker
# The image's HEALTHCHECK command (Kubernetes ignores it; docker and podman run it) against the api's port,
# which the chart sets in the configuration file rather than in ECO2_HTTP_PORT.
mapfile -t HC < <(jq -r '.[0].Healthcheck.Test[1:][]' <<<"$INSPECT")
podman exec -e "ECO2_HTTP_PORT=$API_PORT" eco2-api-$RUN "${HC[@]}" || fail "the image's HEALTHCHECK command failed on the api container"
step "api and worker containers up: startup, readiness and liveness probes pass; HEALTHCHECK passes"

# ---- 4. Prometheus scraping both, as the ServiceMonitor would (namespace and pod labels)
cat > "$WORK/prometheus.yml" <<EOF
global: {scrape_interval: 2s, evaluation_interval: 2s}
scrape_configs:
  - job_name: eco2
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$API_PORT"]
        labels: {namespace: eco2, pod: eco2-api-0, service: eco2-eco2-pipeline-api}
      - targets: ["127.0.0.1:$W1_PORT"]
        labels: {namespace: eco2, pod: eco2-worker-0, service: eco2-eco2-pipeline-worker}
      - targets: ["127.0.0.1:$W2_PORT"]
        labels: {namespace: eco2, pod: eco2-worker-1, service: eco2-eco2-pipeline-worker}
EOF
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" --web.listen-address="127.0.0.1:$PROM_PORT" \
  --log.level=warn > "$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
promql() { curl -s --max-time 10 -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
await 60 "Prometheus" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PROM_PORT/-/ready)\" = 200 ]"

# ---- 5. the helm test Pod's command, in a container of the image (the Service name becomes the API's address)
TEST=eco2-test-$RUN
jq --arg url "http://127.0.0.1:$API_PORT" '.test.env.ECO2_API_URL = $url' "$WORK/plan/plan.json" > "$WORK/plan/plan.test.json"
mkdir -p "$WORK/plantest" && cp "$WORK/plan/plan.test.json" "$WORK/plantest/plan.json"
run_container "$TEST" "$WORK/plantest" test
[ "$(podman wait "$TEST")" = 0 ] && podman logs "$TEST" 2>/dev/null | grep -q ": done$" || fail "the helm test Pod's command failed: $(podman logs "$TEST" 2>&1 | tail -5)"
step "helm test command: $(podman logs "$TEST" 2>&1 | grep -v systemd | tr "\n" " ")"

# submit N: N scans through the API; their ids go to $WORK/jobs.
submit() {
  local i reply
  for ((i = 0; i < $1; i++)); do
    reply=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
      -d "{\"image_url\": \"https://example.com/photos/e2e-$i.jpg\", \"user_input\": \"chart e2e\"}" "http://127.0.0.1:$API_PORT/api/v1/scan")
    jq -er .job_id <<<"$reply" >> "$WORK/jobs" || fail "submit refused: $reply"
  done
}
all_ended() {
  local id status
  while read -r id; do
    status=$(curl -s --max-time 5 "http://127.0.0.1:$API_PORT/api/v1/scan/$id" | jq -r .status)
    [ "$status" = completed ] || { [ "$status" = failed ] && fail "job $id failed"; return 1; }
  done < "$WORK/jobs"
}
: > "$WORK/jobs"
submit 10
await 180 "the first 10 jobs to complete" all_ended
step "10 scans completed through api and worker"

# ---- 6. what KEDA reads, the adapter rule and the dashboard
SO_URL=$(plan '.scaledObject.spec.triggers[0].metadata.url')
VALUE_LOCATION=$(plan '.scaledObject.spec.triggers[0].metadata.valueLocation')
LOCAL_URL="http://127.0.0.1:$API_PORT/${SO_URL#http://*/}"
DESIRED=$(curl -s --max-time 5 "$LOCAL_URL" | jq -r ".$VALUE_LOCATION")
[[ "$DESIRED" =~ ^[0-9]+$ ]] && [ "$DESIRED" -ge "$(plan .scaledObject.spec.minReplicaCount)" ] \
  && [ "$DESIRED" -le "$(plan .scaledObject.spec.maxReplicaCount)" ] || fail "KEDA would read '$DESIRED' from $LOCAL_URL ($VALUE_LOCATION)"
step "KEDA's metrics-api trigger reads $VALUE_LOCATION = $DESIRED from ${SO_URL#http://*/}"

await 60 "Prometheus to scrape the api and worker" bash -c \
  "[ \"\$(curl -s http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(up{job=\"eco2\"} == 1)' | jq -r '.data.result[0].value[1]')\" -ge 2 ]"
ADAPTER_QUERY=$(python3 - "$ROOT/helm/prometheus-adapter/values.yaml" <<'PY'
import sys, yaml
rule = yaml.safe_load(open(sys.argv[1]))["rules"]["custom"][0]
series = rule["seriesQuery"].split("{")[0]
q = rule["metricsQuery"].replace("<<.Series>>", series).replace("<<.LabelMatchers>>", 'namespace="eco2",pod=~"eco2-api-.*"').replace("<<.GroupBy>>", "pod")
print(q)
PY
)
# has_data QUERY: the query succeeds with at least one series (rate() windows need two scrapes with the jobs).
has_data() { promql "$1" | jq -e '.status == "success" and (.data.result | length) > 0' >/dev/null; }
await 30 "data for the adapter rule's query $ADAPTER_QUERY" has_data "$ADAPTER_QUERY"
RESULT=$(promql "$ADAPTER_QUERY")
step "Prometheus Adapter rule: $ADAPTER_QUERY -> $(jq -c '[.data.result[] | {pod: .metric.pod, value: .value[1]}]' <<<"$RESULT")"
checked=0
while IFS= read -r q; do
  expr=${q//\$namespace/eco2}
  await 30 "data for the dashboard query $expr" has_data "$expr"
  checked=$((checked + 1))
done < <(jq -r '.panels[].targets[].expr' helm/eco2-pipeline/dashboards/eco2-pipeline.json)
step "all $checked dashboard queries return data"

# ---- 7. SIGTERM a worker with jobs in flight; a second worker takes over; nothing is lost
run_container eco2-worker2-$RUN "$WORK/plan" worker2
await_probes eco2-worker2-$RUN "$WORK/plan" worker2
: > "$WORK/jobs"
submit 40
inflight() { curl -s --max-time 3 "http://127.0.0.1:$W1_PORT/metrics" | awk '/^pipeline_stage_inflight/ {s += $2} END {exit !(s > 0)}'; }
await 60 "worker 1 to have jobs in flight" inflight
W1=eco2-worker1-$RUN
GRACE=$(plan .worker.grace)
mapfile -t PRESTOP < <(plan '.worker.preStop[]')
T_TERM=$(date +%s)
podman exec "$W1" "${PRESTOP[@]}" # the kubelet runs preStop, then sends SIGTERM; both count against the grace period
podman kill --signal TERM "$W1" >/dev/null
EXIT=$(timeout "$((GRACE - ($(date +%s) - T_TERM)))" podman wait "$W1" || echo timeout)
T_EXIT=$(($(date +%s) - T_TERM))
[ "$EXIT" != timeout ] || fail "worker 1 did not exit within its grace period of $GRACE s"
[ "$EXIT" = 0 ] || [ "$EXIT" = 143 ] || fail "worker 1 exited with $EXIT after SIGTERM"
podman logs "$W1" > "$WORK/worker1.log" 2>&1
step "worker 1 exited ($EXIT) ${T_EXIT} s after preStop + SIGTERM (grace $GRACE s)"
await 180 "all 40 jobs to complete after the SIGTERM" all_ended
step "all 40 jobs submitted around the SIGTERM completed (none lost)"

# ---- 8. logs
python3 - "$WORK/worker1.log" <<'PY' || fail "worker log check failed"
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
objs = []
for l in lines:
    if l.startswith("{"):
        objs.append(json.loads(l))
assert objs, "no JSON log lines"
assert all({"time", "level", "logger", "message"} <= o.keys() for o in objs), "a JSON line lacks a field"
jobs = [o for o in objs if o["logger"] == "io.eco2.engine.jobs"]
assert jobs and all("job_id" in o and o["level"] == "INFO" for o in jobs), "no per-job-and-stage INFO lines with job_id"
assert not any("already registered" in l for l in lines), "Micrometer's gauge re-registration warning is printed"
text = [l for l in lines if not l.startswith("{")]
print(f"chart-e2e: worker 1 log: {len(objs)} JSON lines, {len(jobs)} per-job-and-stage lines, {len(text)} other lines")
PY
podman logs eco2-api-$RUN 2>&1 | grep -q "already registered" && fail "the api logs Micrometer's re-registration warning"
step "done in $(($(date +%s) - T0)) s"

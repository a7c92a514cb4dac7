// Eco² scan load test for k6 — the load generator's poll-mode scenario, for users' own clusters.
//
//   k6 run -e BASE_URL=http://api.example:8080 -e USERS=500 tests/k6/scan.js
//   k6 run -e USERS=50 -e RAMP_UP=30s -e HOLD=60s -e RAMP_DOWN=30s -e API_KEY=secret tests/k6/scan.js
//
// Why poll and not stream: k6's http module returns a response only once it is complete, so it cannot
// follow a Server-Sent Events stream frame by frame (that needs the xk6-sse extension). The original
// system's k6 script polled result_url every 2.5 s, and so does this one; the Java load generator
// (tests/target/eco2-loadgen.jar, --mode stream) measures the stream itself.
//
// Each virtual user loops: submit (random X-Idempotency-Key) -> GET result_url every POLL_S until it
// answers 200 -> think 1-2 s. Outcomes are those of the Java generator's poll mode (docs/BENCHMARKS.md):
// completed = 200 with status "completed" and every stage's output present; partial = 200 completed but
// an output missing; failed = everything else (submit not 200, 429 included, job failed, 404, timeout).
import http from 'k6/http';
import { sleep, check } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';

const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const USERS = parseInt(__ENV.USERS || '50', 10);
const POLL_S = parseFloat(__ENV.POLL_S || '2.5');
const TIMEOUT_S = parseFloat(__ENV.ITERATION_TIMEOUT_S || '120');
const THINK_MIN_S = parseFloat(__ENV.THINK_MIN_S || '1');
const THINK_MAX_S = parseFloat(__ENV.THINK_MAX_S || '2');
const IMAGES = [
  'https://example.com/photos/pet-bottle.jpg', 'https://example.com/can.jpg', 'https://example.com/brick.jpg',
  'https://example.com/photos/glass-bottle.jpg', 'https://example.com/photos/newspaper.jpg',
  'https://example.com/photos/styrofoam-box.jpg', 'https://example.com/photos/battery.jpg',
  'https://example.com/photos/milk-carton.jpg', 'https://example.com/photos/plastic-bag.jpg',
  'https://example.com/photos/food-waste.jpg',
];

const completed = new Counter('scan_completed');
const partial = new Counter('scan_partial');
const failed = new Counter('scan_failed');
const rewardNull = new Counter('scan_reward_null');
const completion = new Rate('scan_completion');
const submitMs = new Trend('scan_submit_ms', true);
const e2eMs = new Trend('scan_end_to_end_ms', true);

export const options = {
  scenarios: {
    scan: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: __ENV.RAMP_UP || '30s', target: USERS },
        { duration: __ENV.HOLD || '60s', target: USERS },
        { duration: __ENV.RAMP_DOWN || '30s', target: 0 },
      ],
      // An iteration in flight at ramp-down may finish (the Java generator's --grace).
      gracefulRampDown: __ENV.GRACE || '60s',
    },
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  thresholds: {
    // Reported, not enforced by default: the completion target.
    scan_completion: [{ threshold: 'rate>=0.999', abortOnFail: false }],
  },
};

function headers() {
  const h = { 'Content-Type': 'application/json', 'X-Idempotency-Key': uuidv4() };
  if (__ENV.API_KEY) {
    h.Authorization = `Bearer ${__ENV.API_KEY}`;
  }
  return h;
}

function outcome(kind) {
  if (kind === 'completed') completed.add(1); else if (kind === 'partial') partial.add(1); else failed.add(1);
  completion.add(kind === 'completed');
}

export default function () {
  const begin = Date.now();
  const body = JSON.stringify({ image_url: IMAGES[Math.floor(Math.random() * IMAGES.length)] });
  const submit = http.post(`${BASE_URL}/api/v1/scan`, body, { headers: headers(), tags: { name: 'submit' } });
  submitMs.add(submit.timings.duration);
  if (!check(submit, { 'submit 200': (r) => r.status === 200 })) {
    outcome('failed');
    sleep(THINK_MIN_S + Math.random() * (THINK_MAX_S - THINK_MIN_S));
    return;
  }
  const resultUrl = `${BASE_URL}${submit.json('result_url')}`;
  const auth = __ENV.API_KEY ? { Authorization: `Bearer ${__ENV.API_KEY}` } : {};
  let kind = 'failed';
  while ((Date.now() - begin) / 1000 < TIMEOUT_S) {
    sleep(POLL_S);
    const r = http.get(resultUrl, { headers: auth, tags: { name: 'result' } });
    if (r.status === 202) continue;
    if (r.status === 200 && r.json('status') === 'completed') {
      e2eMs.add(Date.now() - begin);
      const pr = r.json('pipeline_result') || {};
      const whole = pr.classification_result != null && 'disposal_rules' in pr && pr.final_answer != null;
      if (r.json('reward') == null) rewardNull.add(1);
      kind = whole ? 'completed' : 'partial';
    }
    break;
  }
  outcome(kind);
  sleep(THINK_MIN_S + Math.random() * (THINK_MAX_S - THINK_MIN_S));
}

export function handleSummary(data) {
  const out = __ENV.OUT || 'k6-scan-summary.json';
  return { stdout: textSummary(data), [out]: JSON.stringify(data, null, 2) };
}

function textSummary(data) {
  const m = data.metrics;
  const v = (name, field) => (m[name] && m[name].values[field] !== undefined ? m[name].values[field] : 0);
  const done = v('scan_completed', 'count');
  const total = done + v('scan_partial', 'count') + v('scan_failed', 'count');
  const t = (name) => ['med', 'p(90)', 'p(95)', 'p(99)', 'max'].map((f) => v(name, f).toFixed(0)).join(' / ');
  return [
    `eco2 k6 poll: ${USERS} users, iterations ${total}: completed ${done} (${total ? (100 * done / total).toFixed(2) : 0} %),`
      + ` partial ${v('scan_partial', 'count')}, failed ${v('scan_failed', 'count')}, reward null ${v('scan_reward_null', 'count')}`,
    `  submit ms p50/p90/p95/p99/max: ${t('scan_submit_ms')}`,
    `  end-to-end ms p50/p90/p95/p99/max: ${t('scan_end_to_end_ms')}`,
    '',
  ].join('\n');
}

// Follows jobs with WHATWG EventSources (the `eventsource` package), as browsers would: one EventSource per
// job, which reconnects by itself with Last-Event-ID whenever its stream breaks off (an API killed, a
// connection dropped, a stream that ended without the terminal event).
//
//   node follow.mjs <base-url> <out.json>
//
// stdin: one job id per line (start following it); the line END means no more jobs. When every job followed
// has its terminal event (done, or error with an id) or the stdin line END arrives and all have ended, the
// script writes <out.json> and exits 0. Every second it prints `followers ended=<n> of=<m> open=<k>`.
//
// <out.json>: {"<job id>": {"frames": [{"event", "id", "data"}...], "opens": n, "errors": n, "closed": bool}}.
// `frames` is every job event the EventSource delivered, in order, across all its reconnects: a frame received
// twice shows twice. `closed` is true when the EventSource gave up by itself (a non-200 answer): a browser
// would never reconnect then.
import { EventSource } from 'eventsource';
import fs from 'node:fs';
import readline from 'node:readline';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node follow.mjs <base-url> <out.json>');
  process.exit(2);
}
const EVENTS = ['queued', 'vision', 'rule', 'answer', 'reward', 'done', 'error'];
const jobs = new Map();
let inputEnded = false;
let finished = false;

function follow(id) {
  if (jobs.has(id)) {
    return;
  }
  const job = { frames: [], opens: 0, errors: 0, closed: false, ended: false };
  jobs.set(id, job);
  const es = new EventSource(`${base}/api/v1/scan/${id}/events`);
  job.source = es;
  es.addEventListener('open', () => job.opens++);
  for (const name of EVENTS) {
    es.addEventListener(name, (e) => {
      if (e.data === undefined) {
        // The connection's own error event (no data): counted below, not a frame.
        return;
      }
      const data = JSON.parse(e.data);
      if (name === 'error' && data.seq === null) {
        // STREAM_TIMEOUT and the like carry no id: not a job event, the EventSource reconnects.
        return;
      }
      job.frames.push({ event: name, id: e.lastEventId, data: e.data });
      if (name === 'done' || name === 'error') {
        job.ended = true;
        es.close();
        maybeFinish();
      }
    });
  }
  es.onerror = () => {
    job.errors++;
    if (es.readyState === EventSource.CLOSED && !job.ended) {
      job.closed = true;
      maybeFinish();
    }
  };
}

function settled(job) {
  return job.ended || job.closed;
}

function maybeFinish() {
  if (finished || !inputEnded) {
    return;
  }
  for (const job of jobs.values()) {
    if (!settled(job)) {
      return;
    }
  }
  finish(0);
}

function finish(code) {
  finished = true;
  const result = {};
  for (const [id, job] of jobs) {
    job.source.close();
    result[id] = { frames: job.frames, opens: job.opens, errors: job.errors, closed: job.closed };
  }
  fs.writeFileSync(out, JSON.stringify(result));
  report();
  process.exit(code);
}

function report() {
  let ended = 0;
  let open = 0;
  for (const job of jobs.values()) {
    if (settled(job)) {
      ended++;
    } else if (job.source.readyState === EventSource.OPEN) {
      open++;
    }
  }
  console.log(`followers ended=${ended} of=${jobs.size} open=${open}`);
}

setInterval(report, 1000);
// Asked to stop (the test's deadline passed): write what was received so far.
process.on('SIGTERM', () => finish(1));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const id = line.trim();
  if (id === 'END') {
    inputEnded = true;
    maybeFinish();
  } else if (id) {
    follow(id);
  }
});

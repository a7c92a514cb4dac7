// The Eco² demo page: submit a photo, follow the job's Server-Sent Events, show the result.
// No framework and nothing from another host: the page is served by the pipeline's own jar.
'use strict';

(function () {
  const STAGES = ['vision', 'rule', 'answer', 'reward'];
  const EVENTS = ['queued', ...STAGES, 'done', 'error'];
  const TOKEN_KEY = 'eco2.token';
  // ?api=https://api.example lets the page talk to an API on another origin (CORS); default: this origin.
  const API = (new URLSearchParams(location.search).get('api') || '').replace(/\/+$/, '');

  const $ = (id) => document.getElementById(id);
  const form = $('scan-form');
  const tokenInput = $('token');
  let source = null;
  let job = null;

  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || '';
  tokenInput.addEventListener('input', () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()));
  if (tokenInput.value) {
    $('auth-box').open = true;
  }

  function token() {
    return tokenInput.value.trim();
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (token()) {
      h['Authorization'] = 'Bearer ' + token();
    }
    return h;
  }

  function showError(message) {
    const el = $('form-error');
    el.textContent = message;
    el.hidden = !message;
  }

  function setConnection(state, text) {
    const el = $('connection');
    el.dataset.state = state;
    el.textContent = text;
  }

  function card(stage) {
    return document.querySelector('.stage[data-stage="' + stage + '"]');
  }

  const STATUS_TEXT = {
    waiting: '대기 · waiting', started: '진행 중 · running', running: '진행 중 · running',
    retrying: '재시도 · retrying', completed: '완료 · done', failed: '실패 · failed', skipped: '건너뜀 · skipped'
  };

  function setStage(stage, status, found) {
    const el = card(stage);
    if (!el) {
      return;
    }
    const shown = status === 'started' ? 'running' : status;
    el.dataset.status = shown;
    el.querySelector('.state').textContent = STATUS_TEXT[shown] || shown;
    if (found !== undefined) {
      el.querySelector('.found').textContent = found;
    }
  }

  function text(v) {
    return v === null || v === undefined ? '' : String(v);
  }

  // What each stage found, in a line or two.
  function describe(stage, result) {
    if (!result) {
      return '';
    }
    switch (stage) {
      case 'vision': {
        const c = (result.classification_result || {}).classification || {};
        const tags = ((result.classification_result || {}).situation_tags || []).join(', ');
        return [c.major_category, c.middle_category, c.minor_category].filter(Boolean).join(' › ') + (tags ? '\n#' + tags : '');
      }
      case 'rule': {
        const r = result.disposal_rules;
        if (!r) {
          return '해당 규정 없음 · no matching rule';
        }
        const steps = Array.isArray(r.steps) ? r.steps.length : 0;
        return text(r.title || r.id) + (steps ? ' (' + steps + '단계 · steps)' : '');
      }
      case 'answer': {
        const a = result.final_answer || {};
        return text(a.user_answer);
      }
      case 'reward': {
        const w = result.reward;
        return w ? text(w.name) + (w.dialog ? ' — “' + text(w.dialog) + '”' : '') : '캐릭터 없음 · no reward';
      }
      default:
        return '';
    }
  }

  function logEvent(name, data, id) {
    const li = document.createElement('li');
    li.dataset.key = name + ':' + (data ? data.status : '');
    li.dataset.id = id || '';
    li.textContent = (data && data.seq !== null && data.seq !== undefined ? '#' + data.seq + ' ' : '') + name + ' ' + (data ? data.status : '') +
      (data && data.progress !== undefined ? ' (' + data.progress + '%)' : '');
    $('timeline').appendChild(li);
  }

  function reset() {
    STAGES.forEach((s) => setStage(s, 'waiting', ''));
    $('timeline').textContent = '';
    $('result').hidden = true;
    $('result-body').textContent = '';
  }

  function stop(state, message) {
    if (source) {
      source.close();
      source = null;
    }
    setConnection(state, message);
    $('cancel').hidden = true;
    $('submit').disabled = false;
  }

  function follow(streamUrl) {
    const url = API + streamUrl + (token() ? '?access_token=' + encodeURIComponent(token()) : '');
    source = new EventSource(url, { withCredentials: API !== '' });
    setConnection('connecting', '연결 중 · connecting');
    source.onopen = () => setConnection('live', '실시간 · live');
    source.onerror = () => {
      if (!source) {
        return;
      }
      if (source.readyState === EventSource.CONNECTING) {
        // the browser reconnects by itself and sends Last-Event-ID: nothing is lost or repeated
        setConnection('reconnecting', '다시 연결 중… · reconnecting…');
      } else {
        stop('ended', '연결 끊김 · disconnected');
      }
    };
    EVENTS.forEach((name) => source.addEventListener(name, (e) => onEvent(name, e)));
  }

  function onEvent(name, e) {
    let data;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    logEvent(name, data, e.lastEventId);
    if (STAGES.includes(name)) {
      setStage(name, data.status, data.status === 'completed' ? describe(name, data.result) : undefined);
    } else if (name === 'done') {
      stop('ended', '완료 · finished');
      showResult(data.result);
    } else if (name === 'error') {
      const r = data.result || {};
      if (r.code === 'STREAM_TIMEOUT') {
        // the stream, not the job, timed out: the browser reconnects and resumes
        setConnection('reconnecting', '다시 연결 중… · reconnecting…');
        return;
      }
      if (r.stage && card(r.stage)) {
        setStage(r.stage, 'failed', text(r.code) + ': ' + text(r.error));
      }
      stop('ended', '실패 · failed (' + text(r.code) + ')');
      if (job) {
        fetch(API + job.result_url, { headers: headers() }).then((res) => res.ok ? res.json() : null).then((body) => body && showResult(body));
      }
    }
  }

  function showResult(result) {
    if (!result) {
      return;
    }
    const body = $('result-body');
    body.textContent = '';
    const status = document.createElement('p');
    status.textContent = (result.status === 'completed' ? '완료 · ' : '실패 · ') + text(result.status) + ' — ' + text(result.message);
    status.dataset.status = text(result.status);
    status.id = 'result-status';
    body.appendChild(status);
    const answer = ((result.pipeline_result || {}).final_answer) || null;
    if (answer) {
      const steps = document.createElement('ol');
      Object.keys(answer.disposal_steps || {}).forEach((k) => {
        const li = document.createElement('li');
        li.textContent = text(answer.disposal_steps[k]);
        steps.appendChild(li);
      });
      body.appendChild(steps);
      const p = document.createElement('p');
      p.textContent = text(answer.user_answer);
      body.appendChild(p);
    }
    if (result.reward) {
      const p = document.createElement('p');
      p.textContent = '캐릭터 · ' + text(result.reward.name) + ': ' + text(result.reward.dialog);
      body.appendChild(p);
    }
    if (result.error) {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = text(result.error.code) + ': ' + text(result.error.message);
      body.appendChild(p);
    }
    $('result').hidden = false;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError('');
    const typed = $('image-url').value.trim();
    const sample = (form.querySelector('input[name=sample]:checked') || {}).value || 'bottle';
    const imageUrl = typed || (location.origin + '/ui/samples/' + sample + '.svg');
    const body = { image_url: imageUrl };
    const question = $('question').value.trim();
    if (question) {
      body.user_input = question;
    }
    if (source) {
      source.close();
      source = null;
    }
    reset();
    $('submit').disabled = true;
    let res;
    try {
      res = await fetch(API + '/api/v1/scan', {
        method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body)
      });
    } catch (err) {
      $('submit').disabled = false;
      showError('API에 연결할 수 없습니다 · cannot reach the API (' + err.message + ')');
      return;
    }
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) {
      $('submit').disabled = false;
      if (res.status === 401) {
        $('auth-box').open = true;
        tokenInput.focus();
      }
      const retry = res.headers.get('Retry-After');
      showError(res.status + ' ' + text(answer.code) + ': ' + text(answer.detail) + (retry ? ' (retry in ' + retry + ' s)' : ''));
      return;
    }
    job = answer;
    $('progress').hidden = false;
    $('cancel').hidden = false;
    follow(answer.stream_url);
  });

  $('cancel').addEventListener('click', () => {
    if (job) {
      fetch(API + '/api/v1/scan/' + job.job_id, { method: 'DELETE', headers: headers() });
    }
  });
})();

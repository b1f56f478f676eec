// ktl web: the page. Plain JavaScript, no library, no build step. Every text that comes from Redis (values, units,
// help, labels) is put in the page with textContent, never as HTML.
'use strict';

const MAX_POINTS = 500; // points kept per keyword for the plot
const SVG = 'http://www.w3.org/2000/svg';

const state = {
  service: null,
  writes: false,
  keywords: new Map(),   // name -> definition (as ktl describe --json)
  values: new Map(),     // name -> last event {ascii, binary, seq, ts, origin, ...}
  points: new Map(),     // name -> [{t, y}] for the plot, oldest first
  plotted: null,         // keyword name shown in the plot
  events: null,          // the EventSource
  loading: 0,            // counts show() calls: an older one that finishes late does nothing
  historyApi: true,      // false once the server says it has no history endpoint (404) or refuses it (403)
};

const $ = (selector) => document.querySelector(selector);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function getJson(url) {
  const r = await fetch(url, {headers: {'Accept': 'application/json'}});
  const body = await r.json().catch(() => ({error: r.status + ' ' + r.statusText}));
  if (!r.ok) {
    const e = new Error(body.error || (r.status + ' ' + r.statusText));
    e.status = r.status;
    throw e;
  }
  return body;
}

function setStatus(text, down) {
  const s = $('#status');
  s.textContent = text;
  s.classList.toggle('down', !!down);
}

async function start() {
  let info;
  try {
    info = await getJson('/api/services');
  } catch (e) {
    setStatus('cannot list services: ' + e.message, true);
    return;
  }
  state.writes = info.writes;
  $('#mode').textContent = info.writes ? 'writes allowed' : 'read-only';
  const select = $('#service');
  select.replaceChildren(...info.services.map((n) => el('option', null, n)));
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (info.services.includes(wanted)) select.value = wanted;
  select.addEventListener('change', () => { location.hash = select.value; });
  window.addEventListener('hashchange', () => {
    const s = decodeURIComponent(location.hash.slice(1));
    if (s && s !== state.service && info.services.includes(s)) { select.value = s; show(s); }
  });
  if (info.services.length === 0) {
    setStatus('no services in this Redis (is a dispatcher running?)', true);
    return;
  }
  show(select.value);
}

async function show(service) {
  const load = ++state.loading;
  if (state.events) state.events.close();
  state.events = null;
  state.service = service;
  state.keywords.clear();
  state.values.clear();
  state.points.clear();
  state.plotted = null;
  drawPlot();
  if (await loadKeywords(service, load)) listen(service, load);
}

// Fetches the service's definitions and lays out its rows, showing the values known already; false if it failed
// or a later show() superseded it.
async function loadKeywords(service, load) {
  let defs;
  try {
    defs = await getJson('/api/services/' + encodeURIComponent(service) + '/keywords');
  } catch (e) {
    if (load === state.loading) setStatus(e.message, true);
    return false;
  }
  if (load !== state.loading) return false;
  state.keywords.clear();
  const rows = defs.keywords.map((d) => { state.keywords.set(d.keyword, d); return row(d); });
  $('#keywords tbody').replaceChildren(...rows);
  for (const v of state.values.values()) paint(v);
  if (state.plotted) rowOf(state.plotted)?.classList.add('selected');
  return true;
}

function describeType(d) {
  let t = d.type;
  if (d.min !== null || d.max !== null) t += ' ' + (d.min ?? '-inf') + '..' + (d.max ?? '+inf');
  if (d.enumerators.length) t += ' (' + d.enumerators.map((e) => e.label).join(', ') + ')';
  if (d.bits.length) t += ' bits (' + d.bits.map((b) => b.bit + '=' + b.label).join(', ') + ')';
  if (d.readonly) t += ', read-only';
  return t;
}

function row(d) {
  const tr = el('tr');
  tr.dataset.keyword = d.keyword;
  const name = el('button', 'plot', d.keyword);
  name.title = 'plot ' + d.keyword;
  name.addEventListener('click', () => plot(d.keyword));
  const nameCell = el('td', 'name');
  nameCell.append(name);
  const help = el('td', 'help', d.help);
  if (d.longHelp) help.title = d.longHelp;
  const writeCell = el('td', 'write');
  if (state.writes && !d.readonly) {
    const input = el('input', 'new-value');
    input.setAttribute('aria-label', 'new value of ' + d.keyword);
    const button = el('button', 'write-button', 'write');
    const go = () => write(d.keyword, input.value, writeCell.querySelector('.result'));
    button.addEventListener('click', go);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    writeCell.append(input, button);
  }
  writeCell.append(el('span', 'result'));
  tr.append(nameCell, el('td', 'value', '(not set)'), el('td', 'units', d.units), el('td', 'type', describeType(d)),
      el('td', 'updated'), help, writeCell);
  return tr;
}

function rowOf(keyword) {
  return document.querySelector('tr[data-keyword="' + CSS.escape(keyword) + '"]');
}

function listen(service, load) {
  const events = new EventSource('/api/services/' + encodeURIComponent(service) + '/events');
  state.events = events;
  let lost = false;
  events.onopen = () => {
    if (load !== state.loading) return;
    setStatus('live');
    // reconnected: the dispatcher may have restarted with other definitions
    if (lost) loadKeywords(service, load);
    lost = false;
  };
  events.onerror = () => {
    if (load !== state.loading) { events.close(); return; }
    lost = true;
    setStatus('disconnected; retrying…', true);
  };
  events.addEventListener('value', (e) => {
    if (load !== state.loading) { events.close(); return; }
    update(JSON.parse(e.data));
  });
}

function update(v) {
  const known = state.values.get(v.keyword);
  if (known && !v.resync && v.seq <= known.seq) return; // seen already (the snapshot and a live update may overlap)
  state.values.set(v.keyword, v);
  if (paint(v)) {
    const cell = rowOf(v.keyword).querySelector('td.value');
    cell.classList.add('flash');
    setTimeout(() => cell.classList.remove('flash'), 600);
  }
  addPoint(v.keyword, v);
  if (state.plotted === v.keyword) drawPlot();
}

// Shows a value in its keyword's row; false if there is no such row (yet).
function paint(v) {
  const tr = rowOf(v.keyword);
  if (!tr) return false;
  const units = state.keywords.get(v.keyword)?.units;
  const cell = tr.querySelector('td.value');
  cell.textContent = v.ascii;
  cell.title = 'seq ' + v.seq + (v.origin ? ', by ' + v.origin : '') + (units ? ' (' + units + ')' : '');
  cell.dataset.seq = v.seq;
  tr.querySelector('td.updated').textContent = time(v.ts);
  return true;
}

function time(ts) {
  if (ts === null || ts === undefined) return '';
  return new Date(Number(ts) * 1000).toISOString().replace('T', ' ').replace('Z', '');
}

function numeric(v) {
  if (typeof v.binary === 'number') return v.binary;
  if (typeof v.binary === 'boolean') return v.binary ? 1 : 0;
  return null;
}

function addPoint(keyword, v) {
  const y = numeric(v);
  if (y === null || v.ts === null) return;
  const list = state.points.get(keyword) || [];
  const t = Number(v.ts);
  if (list.length && list[list.length - 1].t >= t) return; // history and live values may overlap
  list.push({t, y});
  if (list.length > MAX_POINTS) list.splice(0, list.length - MAX_POINTS);
  state.points.set(keyword, list);
}

async function plot(keyword) {
  document.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
  rowOf(keyword)?.classList.add('selected');
  state.plotted = keyword;
  if (state.historyApi) {
    const service = state.service;
    try {
      const h = await getJson('/api/services/' + encodeURIComponent(service) + '/history/'
          + encodeURIComponent(keyword) + '?n=' + MAX_POINTS);
      if (service !== state.service) return; // another service was chosen meanwhile
      const live = state.points.get(keyword) || [];
      state.points.set(keyword, []);
      h.values.forEach((v) => addPoint(keyword, v));
      live.forEach((p) => addPoint(keyword, {binary: p.y, ts: p.t}));
    } catch (e) {
      // no history endpoint (404) or refused (403): plot what arrives from now on; anything else (Redis away,
      // 503) may pass, so the next click tries again
      if (e.status === 404 || e.status === 403) state.historyApi = false;
    }
  }
  drawPlot();
}

function svg(tag, attributes, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawPlot() {
  const box = $('#plot');
  const note = $('#plot-note');
  box.replaceChildren();
  const keyword = state.plotted;
  if (!keyword) {
    $('#plot-title').textContent = 'Click a numeric keyword\'s name to plot its values';
    note.textContent = '';
    return;
  }
  const d = state.keywords.get(keyword);
  $('#plot-title').textContent = state.service + '.' + keyword + (d && d.units ? ' (' + d.units + ')' : '');
  const points = state.points.get(keyword) || [];
  note.textContent = points.length + ' value' + (points.length === 1 ? '' : 's')
      + (state.historyApi ? ' (stored history, then live)' : ' received since the page loaded');
  if (points.length === 0) return;
  const W = 640, H = 220, left = 60, right = 10, top = 10, bottom = 30;
  let t0 = points[0].t, t1 = points[points.length - 1].t;
  let y0 = Math.min(...points.map((p) => p.y)), y1 = Math.max(...points.map((p) => p.y));
  if (t1 === t0) { t0 -= 1; t1 += 1; }
  if (y1 === y0) { y0 -= 1; y1 += 1; }
  const x = (t) => left + (t - t0) / (t1 - t0) * (W - left - right);
  const y = (v) => H - bottom - (v - y0) / (y1 - y0) * (H - top - bottom);
  box.append(svg('line', {class: 'axis', x1: left, y1: H - bottom, x2: W - right, y2: H - bottom}));
  box.append(svg('line', {class: 'axis', x1: left, y1: top, x2: left, y2: H - bottom}));
  box.append(svg('text', {x: 4, y: top + 10}, String(+y1.toPrecision(6))));
  box.append(svg('text', {x: 4, y: H - bottom}, String(+y0.toPrecision(6))));
  box.append(svg('text', {x: left, y: H - 8}, time(t0).slice(11, 19)));
  box.append(svg('text', {x: W - right - 50, y: H - 8}, time(t1).slice(11, 19)));
  // a step line: a keyword holds its value until the next one is stored
  let path = 'M' + x(points[0].t).toFixed(1) + ',' + y(points[0].y).toFixed(1);
  for (const p of points.slice(1)) path += 'H' + x(p.t).toFixed(1) + 'V' + y(p.y).toFixed(1);
  path += 'H' + (W - right);
  box.append(svg('path', {class: 'line', d: path}));
  points.forEach((p) => box.append(svg('circle', {class: 'dot', cx: x(p.t).toFixed(1), cy: y(p.y).toFixed(1), r: 2})));
}

async function write(keyword, value, result) {
  result.className = 'result';
  result.textContent = 'sending…';
  let answer;
  try {
    const r = await fetch('/api/services/' + encodeURIComponent(state.service) + '/keywords/'
        + encodeURIComponent(keyword), {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify({value}),
    });
    answer = await r.json().catch(() => ({error: r.status + ' ' + r.statusText}));
  } catch (e) {
    answer = {error: e.message};
  }
  if (answer.stage === 'done') {
    result.className = 'result done';
    result.textContent = 'ack, done: ' + answer.ascii + ' (seq ' + answer.seq + ')';
  } else if (answer.stage === 'refused') {
    result.className = 'result refused';
    result.textContent = 'refused ' + answer.code + ': ' + answer.reason;
    result.title = answer.message;
  } else {
    result.className = 'result error';
    result.textContent = (answer.stage ? answer.stage + (answer.ack ? ' after ack' : '') + ': ' : '')
        + (answer.message || answer.error);
  }
  result.dataset.stage = answer.stage || 'error';
}

start();

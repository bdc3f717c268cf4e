import { createHash } from 'node:crypto';

/**
 * The instructor's page: one HTML file, no CDN, no external file, so it works on a room network with no internet.
 * Its one script and one style are allowed by their hashes in the Content-Security-Policy, so no other inline
 * script runs, and every learner-chosen text is set with textContent: a display name `<script>` shows as text.
 */
const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{display:flex;gap:1.5em;align-items:baseline;padding:.6em 1em;background:#1b1f24;color:#fff;flex-wrap:wrap}
header h1{font-size:1.1em;margin:0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(16em,1fr);gap:1em;padding:1em}
section{background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:.6em .8em;margin-bottom:1em;overflow:auto}
h2{font-size:1em;margin:.2em 0 .5em}
table{border-collapse:collapse}
th,td{border:1px solid #e3e6ea;padding:2px 6px;text-align:center;white-space:nowrap;min-width:1.6em}
th.lab{background:#eef1f4}
td.name{text-align:left;cursor:pointer;font-weight:600}
tr.stuck td.name{color:#b42318}
td.done{background:#d1f2dc}
td.here{background:#fff4c2}
td.failing{background:#fde2e1}
td.skipped{background:#e9e3f7}
tr.selected td{outline:2px solid #3b82f6}
.badge{display:inline-block;padding:0 .4em;border-radius:4px;background:#b42318;color:#fff;font-size:.8em;margin-left:.3em}
textarea{width:100%;box-sizing:border-box}
#note-now{white-space:pre-wrap}
ul{padding-left:1.2em;margin:.2em 0}
.muted{color:#6b7280}
`;

const SCRIPT = `
'use strict';
const ko = (navigator.language || '').toLowerCase().startsWith('ko');
const T = ko
  ? { seats: '자리', events: '이벤트', median: '단계 중앙값', stuck: '막힘', ready: '준비됨', notReady: '문제 있음', unknown: '점검 전', noToken: '주소에 #token=… 이 없습니다: room serve 가 출력한 강사용 주소를 여세요.', none: '없음', pick: '이름을 누르면 마지막 관찰을 봅니다.', on: '지금 단계', version: '버전', hints: '힌트', solutions: '풀이', imported: '보고서로 받음', posted: '보냈습니다', offline: '연결이 끊겼습니다, 다시 잇는 중…' }
  : { seats: 'seats', events: 'events', median: 'median on step', stuck: 'stuck', ready: 'ready', notReady: 'problems', unknown: 'not checked', noToken: 'The address has no #token=…: open the instructor URL that room serve printed.', none: 'none', pick: 'Click a name to see its last observation.', on: 'on step', version: 'version', hints: 'hints', solutions: 'solutions', imported: 'handed in as a report', posted: 'posted', offline: 'connection lost, reconnecting…' };
const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const auth = { authorization: 'Bearer ' + token };
let room = null;
let selected = null;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}
function minutes(ms) {
  return ms === null ? '' : Math.floor(ms / 60000) + ':' + String(Math.floor(ms / 1000) % 60).padStart(2, '0');
}
function label(text) {
  return text ? (ko ? text.ko : text.en) || text.en || text.ko : '';
}
function cellState(seat, key) {
  if (seat.done.includes(key)) return ['done', '✔'];
  if (seat.skipped.includes(key)) return ['skipped', '↷'];
  if (seat.lab + '/' + seat.step === key) return seat.failingNow ? ['failing', '✖'] : ['here', '▶'];
  return ['', ''];
}

function drawGrid() {
  const table = $('grid');
  table.replaceChildren();
  const labsRow = el('tr');
  const stepsRow = el('tr');
  labsRow.append(el('th', ''));
  stepsRow.append(el('th', ''));
  for (const lab of room.labs) {
    const th = el('th', lab.id, 'lab');
    th.title = label(lab.title);
    th.colSpan = lab.steps.length;
    labsRow.append(th);
    lab.steps.forEach((step, i) => {
      const s = el('th', String(i + 1));
      s.title = label(step.title);
      stepsRow.append(s);
    });
  }
  table.append(labsRow, stepsRow);
  for (const seat of room.seats) {
    const tr = el('tr');
    tr.dataset.seat = seat.seat;
    if (seat.stuck) tr.classList.add('stuck');
    if (seat.seat === selected) tr.classList.add('selected');
    const name = el('td', seat.name, 'name');
    if (seat.stuck) name.append(el('span', T.stuck + ' ' + minutes(seat.elapsedMs), 'badge'));
    name.addEventListener('click', () => {
      selected = seat.seat;
      draw();
    });
    tr.append(name);
    for (const lab of room.labs)
      for (const step of lab.steps) {
        const key = lab.id + '/' + step.id;
        const [cls, mark] = cellState(seat, key);
        const td = el('td', mark, cls);
        td.dataset.step = key;
        tr.append(td);
      }
    table.append(tr);
  }
}

function drawDetail() {
  const box = $('detail');
  box.replaceChildren();
  const seat = room.seats.find((s) => s.seat === selected);
  if (!seat) return box.append(el('p', T.pick, 'muted'));
  box.append(el('h3', seat.name));
  const facts = el('ul');
  if (seat.lab) facts.append(el('li', T.on + ': ' + seat.lab + '/' + seat.step + ' (' + minutes(seat.elapsedMs) + ')'));
  if (seat.version) facts.append(el('li', T.version + ': ' + seat.version));
  facts.append(el('li', T.hints + ': ' + seat.hints + ', ' + T.solutions + ': ' + seat.solutions));
  if (seat.doctor) facts.append(el('li', 'doctor: ' + (seat.doctor.ok ? T.ready : T.notReady + ' (' + seat.doctor.failures + ')')));
  if (seat.imported) facts.append(el('li', T.imported));
  box.append(facts);
  if (seat.last) {
    box.append(el('p', seat.last.lab + '/' + seat.last.step + ' — ' + seat.last.at));
    const list = el('ul');
    list.id = 'observation';
    for (const check of seat.last.checks)
      list.append(el('li', (check.verdict === 'pass' ? '✔ ' : '✖ ') + check.title + ': ' + check.observed + (check.failure ? ' [' + check.failure + ']' : '')));
    box.append(list);
  }
}

function drawFailing() {
  const list = $('failing');
  list.replaceChildren();
  if (room.failing.length === 0) list.append(el('li', T.none, 'muted'));
  for (const f of room.failing) list.append(el('li', f.seats + ' × ' + f.lab + '/' + f.step + ' — ' + f.check + ' [' + f.failure + ']'));
}

function draw() {
  $('seats').textContent = room.seats.length + ' ' + T.seats;
  $('events').textContent = room.events + ' ' + T.events;
  $('median').textContent = T.median + ' ' + minutes(room.medianMs);
  $('doctor').textContent = 'doctor: ' + room.doctor.ready + ' ' + T.ready + ', ' + room.doctor.notReady + ' ' + T.notReady + ', ' + room.doctor.unknown + ' ' + T.unknown;
  $('note-now').textContent = room.note ? room.note.ko + '\\n' + room.note.en : T.none;
  drawGrid();
  drawFailing();
  drawDetail();
}

let pending = null;
async function refresh() {
  pending = null;
  const res = await fetch('/api/room', { headers: auth, cache: 'no-store' });
  if (!res.ok) return;
  room = await res.json();
  draw();
}
function soon() {
  if (!pending) pending = setTimeout(refresh, 150);
}

if (!token) {
  $('status').textContent = T.noToken;
} else {
  refresh();
  setInterval(refresh, 10000);
  const stream = new EventSource('/api/stream?token=' + encodeURIComponent(token));
  stream.addEventListener('events', soon);
  stream.addEventListener('note', soon);
  stream.addEventListener('hello', () => {
    $('status').textContent = '';
    soon();
  });
  stream.onerror = () => ($('status').textContent = T.offline);
  $('export-csv').href = '/api/export.csv?token=' + encodeURIComponent(token);
  $('export-json').href = '/api/export.json?token=' + encodeURIComponent(token);
  $('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = JSON.stringify({ ko: $('note-ko').value, en: $('note-en').value });
    const res = await fetch('/api/note', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    $('note-status').textContent = res.ok ? T.posted : String(res.status);
    soon();
  });
}
`;

const BODY = `<header><h1>expose-labs room</h1><span id="seats"></span><span id="events"></span><span id="median"></span><span id="doctor"></span><span id="status"></span></header>
<main><div>
<section><h2>Seats × steps / 자리 × 단계</h2><table id="grid"></table></section>
<section><h2>Failing now / 지금 실패 중</h2><ul id="failing"></ul></section>
</div><div>
<section><h2>Learner / 학습자</h2><div id="detail"></div></section>
<section><h2>Note to the room / 공지</h2><p id="note-now"></p>
<form id="note-form"><label>한국어<textarea id="note-ko" maxlength="280" rows="2"></textarea></label>
<label>English<textarea id="note-en" maxlength="280" rows="2"></textarea></label>
<button id="note-post" type="submit">Post / 보내기</button> <span id="note-status"></span></form></section>
<section><h2>Export / 내보내기</h2><a id="export-csv" download="room.csv">CSV</a> · <a id="export-json" download="room.json">JSON</a></section>
</div></main>`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export function roomPage(): { html: string; csp: string } {
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>expose-labs room</title><style>${STYLE}</style></head>
<body>${BODY}<script>${SCRIPT}</script></body></html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

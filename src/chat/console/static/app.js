// The ack-migrate web console: renders the bot's Message model, keeps threads, sends commands, clicks and
// thread replies, and follows live updates over Server-Sent Events. No framework, no build step.

import { el, escapeHtml } from './dom.js';
import { refreshThread, threadBox } from './threads.js';

const params = new URLSearchParams(location.search);
const user = params.get('user') || undefined;
const list = document.getElementById('messages');
/** @type {Map<string, any>} */
const entries = new Map();

/**
 * The Message model's markdown subset: `code`, *bold*, on already escaped text. A mark sits next to anything but
 * a Latin letter, a digit or another mark, so Chinese text (`*不会，实例 IP 地址保持不变*，云盘…`) is bold too.
 */
function inline(text) {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|[^\w*])\*([^*\n]*[^*\s])\*(?![\w*])/g, '$1<strong>$2</strong>');
}

/** Local time on the page, the exact ISO time on hover. */
function timeNode(iso) {
  const node = el('time', 'time');
  node.dateTime = iso;
  node.title = iso;
  node.textContent = new Date(iso).toLocaleTimeString();
  return node;
}

function renderBody(paragraphs) {
  const body = el('div', 'body');
  for (const paragraph of paragraphs) {
    let listNode = null;
    let lines = [];
    const flush = () => {
      if (lines.length) body.append(el('p', '', lines.map(inline).join('<br>')));
      lines = [];
    };
    for (const line of String(paragraph).split('\n')) {
      if (line.startsWith('- ')) {
        flush();
        if (!listNode) {
          listNode = el('ul');
          body.append(listNode);
        }
        listNode.append(el('li', '', inline(line.slice(2))));
      } else {
        listNode = null;
        lines.push(line);
      }
    }
    flush();
  }
  return body;
}

function renderTimeline(rows) {
  const table = el('table', 'timeline');
  table.append(el('thead', '', '<tr><th>Node</th><th>Step</th><th>Duration</th><th>Detail</th></tr>'));
  const tbody = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.node = row.node;
    tr.append(el('td', 'node', inline(row.node)), el('td', 'step', inline(row.step)));
    tr.append(el('td', 'duration', inline(row.duration || '')), el('td', 'detail', inline(row.detail || '')));
    tbody.append(tr);
  }
  table.append(tbody);
  return table;
}

function renderButtons(entry) {
  const box = el('div', 'buttons');
  for (const button of entry.message.buttons) {
    const node = el('button', button.style || '');
    node.type = 'button';
    node.textContent = button.label;
    node.dataset.label = button.label;
    node.addEventListener('click', () => click(entry, button, box));
    box.append(node);
  }
  return box;
}

function renderMessage(entry) {
  const m = entry.message;
  const frag = document.createDocumentFragment();
  if (m.header) frag.append(el('div', 'msg-header', inline(m.header)));
  if (m.fields?.length) {
    const dl = el('dl', 'fields');
    for (const f of m.fields) {
      const field = el('div', 'field');
      field.append(el('dt', '', inline(f.label)), el('dd', '', inline(f.value)));
      dl.append(field);
    }
    frag.append(dl);
  }
  if (m.progress) {
    const { done, total } = m.progress;
    const pct = total > 0 ? Math.round((100 * done) / total) : 0;
    const bar = el('div', 'progress');
    bar.innerHTML = `<div class="bar"><div class="fill" style="width:${pct}%"></div></div><span>${done}/${total}</span>`;
    bar.dataset.done = String(done);
    bar.dataset.total = String(total);
    frag.append(bar);
  }
  if (m.body?.length) frag.append(renderBody(m.body));
  else if (!m.header) frag.append(renderBody([m.text]));
  if (m.timeline?.length) frag.append(renderTimeline(m.timeline));
  if (m.buttons?.length) frag.append(renderButtons(entry));
  if (m.mentions?.length) frag.append(el('div', 'mentions', m.mentions.map((u) => `@${escapeHtml(u)}`).join(' ')));
  if (m.context) frag.append(el('div', 'context', inline(m.context)));
  return frag;
}

function renderEntry(entry) {
  const isUser = entry.author.kind === 'user';
  const node = el('div', `entry ${isUser ? 'user' : 'bot'}${entry.visibleTo ? ' ephemeral' : ''}`);
  node.dataset.messageId = entry.id;
  if (entry.threadId) node.dataset.threadId = entry.threadId;
  const meta = el('div', 'meta');
  meta.append(el('span', 'author', escapeHtml(isUser ? entry.author.userId : 'ack-migrate')));
  meta.append(timeNode(entry.editedAt || entry.postedAt));
  if (entry.editedAt) meta.append(el('span', 'badge', 'edited'));
  if (entry.visibleTo) meta.append(el('span', 'badge', 'only visible to you'));
  node.append(meta);
  if (isUser) node.append(el('div', 'body', `<p>${inline(entry.message.text)}</p>`));
  else node.append(renderMessage(entry));
  return node;
}

/** What a thread's reply box does with a typed reply. */
const reply = (threadId) => (text) => send('/console/message', { text, threadId });

/** The top-level item of a message: its entry and, for bot messages, its thread. */
function itemFor(id) {
  let item = list.querySelector(`.item[data-message-id="${id}"]`);
  if (!item) {
    item = el('div', 'item');
    item.dataset.messageId = id;
    list.append(item);
  }
  return item;
}

/** Set when the person sends a command: the answer is scrolled into view wherever the view was. */
let followNext = false;

function upsert(entry) {
  const known = entries.get(entry.id);
  if (known && known.version >= entry.version) return;
  entries.set(entry.id, entry);
  document.getElementById('empty')?.remove();
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const rendered = renderEntry(entry);
  const existing = list.querySelector(`.entry[data-message-id="${entry.id}"]`);
  if (existing) existing.replaceWith(rendered);
  else if (entry.threadId) {
    const parent = itemFor(entry.threadId);
    if (!parent.querySelector('.thread')) parent.append(threadBox(entry.threadId, reply(entry.threadId)));
    parent.querySelector('.replies').append(rendered);
  } else {
    const item = itemFor(entry.id);
    item.prepend(rendered);
    if (entry.author.kind === 'bot' && !entry.visibleTo && !item.querySelector('.thread'))
      item.append(threadBox(entry.id, reply(entry.id)));
  }
  const thread = rendered.closest('.thread');
  if (thread) refreshThread(thread);
  // Follow new messages while the view is at the bottom (or the person just sent something).
  if (atBottom || followNext) {
    followNext = false;
    list.scrollTop = list.scrollHeight;
  }
}

function toast(text) {
  const node = el('div', 'toast');
  node.textContent = text;
  document.body.append(node);
  setTimeout(() => node.remove(), 4000);
}

async function send(path, body) {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user ? { ...body, user } : body),
    });
    if (!res.ok) toast((await res.json().catch(() => ({}))).error || `error ${res.status}`);
    return res.ok;
  } catch {
    toast('the bot is not reachable');
    return false;
  }
}

async function click(entry, button, box) {
  if (button.confirm && !window.confirm(`${button.confirm.title}\n\n${button.confirm.text}`)) return;
  for (const b of box.querySelectorAll('button')) b.disabled = true;
  await send('/console/action', { payload: button.payload, messageId: entry.id });
  // The message is usually re-rendered by then; if not (a refusal), make the buttons usable again.
  for (const b of box.querySelectorAll('button')) b.disabled = false;
}

document.getElementById('command-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('command');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  followNext = true;
  send('/console/command', { text });
});

function connect() {
  const conn = document.getElementById('conn');
  const source = new EventSource(`/console/events${user ? `?user=${encodeURIComponent(user)}` : ''}`);
  source.addEventListener('hello', (event) => {
    document.getElementById('whoami').textContent = `as ${JSON.parse(event.data).userId}`;
  });
  source.addEventListener('message', (event) => upsert(JSON.parse(event.data)));
  source.onopen = () => {
    conn.dataset.state = 'live';
    conn.textContent = 'live';
  };
  source.onerror = () => {
    conn.dataset.state = 'lost';
    conn.textContent = 'reconnecting…';
  };
}

connect();

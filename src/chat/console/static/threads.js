// Threads of the web console, collapsed to "N replies" as in Slack, with the parent's link to the question that
// waits for a click (an approval, a failure), so it is never buried under answers.

import { el } from './dom.js';

/** The newest reply that still waits for a click (an approval, a failure): what the parent links to. */
function openQuestion(thread) {
  const asking = [...thread.querySelectorAll('.replies > .entry')].filter((e) => e.querySelector('.buttons button'));
  return asking[asking.length - 1];
}

/** Threads are collapsed to "N replies" (as in Slack); the parent links to the question that waits. */
export function refreshThread(thread) {
  const count = thread.querySelectorAll('.replies > .entry').length;
  const toggle = thread.querySelector('.replies-toggle');
  toggle.dataset.count = String(count);
  if (!thread.classList.contains('collapsed')) toggle.textContent = 'Hide replies';
  else toggle.textContent = count === 0 ? 'Reply' : `${count} ${count === 1 ? 'reply' : 'replies'}`;
  const question = openQuestion(thread);
  const link = thread.querySelector('.current-question');
  link.hidden = !question;
  if (question) {
    const header = question.querySelector('.msg-header')?.textContent || 'A question waits for an answer';
    link.textContent = `${header} →`;
  }
}

function openThread(thread) {
  thread.classList.remove('collapsed');
  refreshThread(thread);
}

/** A thread under a top-level message; `onReply(text)` sends what is typed in its reply box. */
export function threadBox(id, onReply) {
  const thread = el('div', 'thread collapsed');
  thread.dataset.threadId = id;
  const link = el('button', 'current-question');
  link.type = 'button';
  link.hidden = true;
  link.addEventListener('click', () => {
    const question = openQuestion(thread);
    if (!question) return;
    openThread(thread);
    question.scrollIntoView({ block: 'center' });
    question.classList.add('highlight');
    setTimeout(() => question.classList.remove('highlight'), 2000);
  });
  const toggle = el('button', 'replies-toggle');
  toggle.type = 'button';
  toggle.addEventListener('click', () => {
    thread.classList.toggle('collapsed');
    refreshThread(thread);
  });
  const body = el('div', 'thread-body');
  const replies = el('div', 'replies');
  const form = el('form', 'reply-box');
  form.innerHTML =
    '<input name="text" autocomplete="off" placeholder="Reply in thread (ask a question)…"><button type="submit">Reply</button>';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = form.elements.namedItem('text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    onReply(text);
  });
  body.append(replies, form);
  thread.append(link, toggle, body);
  refreshThread(thread);
  return thread;
}

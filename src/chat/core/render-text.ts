/**
 * Plain-text rendering of a Message: what a terminal, a log line or a platform without rich messages shows.
 * Also the reference for adapters: every part of the model appears, in this order.
 */
import { progressBar } from './format.js';
import type { Message } from './message.js';

export function renderPlainText(message: Message): string {
  const out: string[] = [];
  if (message.header) out.push(message.header);
  if (message.fields?.length) out.push(message.fields.map((f) => `${f.label}: ${f.value}`).join(' | '));
  if (message.progress) out.push(progressBar(message.progress.done, message.progress.total));
  if (message.body?.length) out.push(...message.body);
  if (!message.header && !message.body?.length) out.push(message.text);
  for (const row of message.timeline ?? []) {
    out.push([row.node, row.step, row.duration, row.detail].filter(Boolean).join('  '));
  }
  if (message.buttons?.length) out.push(message.buttons.map((b) => `[${b.label}]`).join(' '));
  if (message.mentions?.length) out.push(message.mentions.map((m) => `@${m}`).join(' '));
  if (message.context) out.push(message.context);
  return out.join('\n');
}

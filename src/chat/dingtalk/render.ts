/**
 * Message → DingTalk: markdown for robot messages (precheck reports, FAQ answers, milestones), and the string
 * variables of the interactive card template (live summary, current batch, buttons). Card params must be strings.
 */
import type { Message } from '../core/message.js';

function bar(done: number, total: number): string {
  const width = 20;
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}

/**
 * DingTalk markdown uses `**bold**`; our model's subset uses `*bold*`. DingTalk shows backticks and `_x_`
 * literally, so code spans lose their backticks.
 */
function md(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '$1').replace(/(^|[^*])\*([^*\n]+)\*(?!\*)/g, '$1**$2**');
}

function timelineMarkdown(message: Message): string {
  if (!message.timeline?.length) return '';
  return message.timeline
    .map((r) => `- ${r.node}: ${r.step}${r.duration ? ` (${r.duration})` : ''}${r.detail ? ` — ${r.detail}` : ''}`)
    .join('\n');
}

/** A markdown robot message: `{title, text}` for msgKey sampleMarkdown. */
export function toMarkdown(message: Message): { title: string; text: string } {
  const parts: string[] = [];
  if (message.header) parts.push(`### ${message.header}`);
  if (message.fields?.length) parts.push(message.fields.map((f) => `- **${f.label}:** ${f.value}`).join('\n'));
  if (message.progress) parts.push(bar(message.progress.done, message.progress.total));
  for (const p of message.body ?? []) parts.push(md(p));
  const timeline = timelineMarkdown(message);
  if (timeline) parts.push(timeline);
  if (message.buttons?.length)
    parts.push(`*${message.buttons.map((b) => b.label).join(' / ')}: use the buttons on the migration card*`);
  if (message.context) parts.push(`> ${message.context}`);
  if (message.mentions?.length) parts.push(message.mentions.map((m) => `@${m}`).join(' '));
  if (parts.length === 0) parts.push(md(message.text));
  return { title: (message.header ?? message.text).slice(0, 60), text: parts.join('\n\n') };
}

/**
 * Variables of the card template (README "Connect to DingTalk" lists them): title, summary, progress, timeline,
 * context, text, and `buttons` — a JSON list whose items carry `params.payload`, echoed back on click.
 */
export function toCardParams(message: Message): Record<string, string> {
  const summary = [
    ...(message.fields ?? []).map((f) => `**${f.label}:** ${f.value}`),
    ...(message.body ?? []).map(md),
  ].join('\n\n');
  return {
    title: message.header ?? message.text.slice(0, 60),
    text: message.text,
    summary,
    progress: message.progress ? bar(message.progress.done, message.progress.total) : '',
    progressPercent:
      message.progress && message.progress.total > 0
        ? String(Math.round((message.progress.done / message.progress.total) * 100))
        : '0',
    timeline: timelineMarkdown(message),
    context: message.context ?? '',
    buttons: JSON.stringify(
      (message.buttons ?? []).map((b) => ({
        label: b.label,
        style: b.style ?? 'default',
        actionId: b.payload.decision,
        confirm: b.confirm?.text ?? '',
        params: { payload: JSON.stringify(b.payload) },
      })),
    ),
    hasButtons: message.buttons?.length ? 'true' : 'false',
  };
}

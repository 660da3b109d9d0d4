/**
 * One message model for every platform. The notifier and the dispatcher build Messages; each adapter renders
 * them (Slack Block Kit, DingTalk markdown and card variables, the console's HTML).
 */
import type { Decision } from '../../ports/migration-service.js';

export interface ButtonPayload {
  decision: Decision;
  migrationId: string;
  nonce: string;
  batch?: number;
  node?: string;
}

export interface Button {
  label: string;
  style?: 'primary' | 'danger';
  payload: ButtonPayload;
  /** Destructive buttons ask again before acting. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export interface TimelineRow {
  node: string;
  step: string;
  /** e.g. `2m10s` */
  duration?: string;
  detail?: string;
}

export interface Message {
  /** Plain-text fallback and notification text; always set. */
  text: string;
  header?: string;
  /** Short label/value pairs: pool, state, nodes, batch, ETA … */
  fields?: Array<{ label: string; value: string }>;
  progress?: { done: number; total: number };
  /** Paragraphs in a small markdown subset: *bold*, `code`, lists with "- "; a "\n" inside one is a line break. */
  body?: string[];
  timeline?: TimelineRow[];
  buttons?: Button[];
  /** Small print at the bottom (who, when, ids). */
  context?: string;
  /** Platform user ids to notify (the requester on failures). */
  mentions?: string[];
}

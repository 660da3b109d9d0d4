/**
 * The console's channel: messages kept in memory (bounded, oldest threads dropped first) and pushed to every
 * connected browser over Server-Sent Events. New clients get every message again, so a reload shows it all.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Message } from '../core/message.js';

export interface ConsoleEntry {
  id: string;
  channel: string;
  threadId?: string;
  author: { kind: 'bot' } | { kind: 'user'; userId: string };
  /** Only this user sees it (ephemeral). */
  visibleTo?: string;
  message: Message;
  postedAt: string;
  editedAt?: string;
  /** Increases with every post and edit, so clients can tell the newest version. */
  version: number;
}

interface Client {
  res: ServerResponse;
  userId: string;
}

export interface ConsoleStore {
  add(entry: Omit<ConsoleEntry, 'id' | 'postedAt' | 'version'>): ConsoleEntry;
  replace(id: string, message: Message): ConsoleEntry | undefined;
  get(id: string): ConsoleEntry | undefined;
  visibleTo(userId: string): ConsoleEntry[];
  attach(res: ServerResponse, userId: string): void;
  closeAll(): void;
  clientCount(): number;
}

interface SavedChannel {
  seq: number;
  version: number;
  entries: ConsoleEntry[];
}

/** The channel as it was when the demo stopped, so a restarted bot still finds its threads and buttons. */
function load(file: string | undefined): SavedChannel {
  if (!file) return { seq: 0, version: 0, entries: [] };
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedChannel;
    if (Array.isArray(saved.entries) && Number.isInteger(saved.seq) && Number.isInteger(saved.version)) return saved;
  } catch {
    // No file yet, or a damaged one: start an empty channel (the migration state itself lives in Redis).
  }
  return { seq: 0, version: 0, entries: [] };
}

const canSee = (entry: ConsoleEntry, userId: string) => entry.visibleTo === undefined || entry.visibleTo === userId;

function frame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createConsoleStore(maxMessages: number, stateFile?: string): ConsoleStore {
  const saved = load(stateFile);
  const entries = new Map<string, ConsoleEntry>(saved.entries.map((e) => [e.id, e]));
  const clients = new Set<Client>();
  let seq = saved.seq;
  let version = saved.version;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  function saveNow(): void {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!stateFile) return;
    const body: SavedChannel = { seq, version, entries: [...entries.values()] };
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(body));
    renameSync(`${stateFile}.tmp`, stateFile);
  }

  /** Posts and edits come in bursts: write at most every 200 ms. */
  function scheduleSave(): void {
    if (!stateFile || saveTimer) return;
    saveTimer = setTimeout(saveNow, 200);
    saveTimer.unref();
  }

  function send(entry: ConsoleEntry): void {
    for (const client of clients) {
      if (canSee(entry, client.userId)) client.res.write(frame('message', entry, entry.version));
    }
  }

  function prune(): void {
    while (entries.size > maxMessages) {
      const oldest = entries.values().next().value as ConsoleEntry;
      const root = oldest.threadId ?? oldest.id;
      for (const [id, e] of entries) if (id === root || e.threadId === root) entries.delete(id);
      entries.delete(oldest.id);
    }
  }

  return {
    add(partial) {
      seq += 1;
      version += 1;
      const entry: ConsoleEntry = { ...partial, id: `c${seq}`, postedAt: new Date().toISOString(), version };
      entries.set(entry.id, entry);
      prune();
      send(entry);
      scheduleSave();
      return entry;
    },
    replace(id, message) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      version += 1;
      entry.message = message;
      entry.editedAt = new Date().toISOString();
      entry.version = version;
      send(entry);
      scheduleSave();
      return entry;
    },
    get: (id) => entries.get(id),
    visibleTo: (userId) => [...entries.values()].filter((e) => canSee(e, userId)),
    attach(res, userId) {
      const client = { res, userId };
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      res.write(frame('hello', { userId }));
      for (const entry of entries.values())
        if (canSee(entry, userId)) res.write(frame('message', entry, entry.version));
      clients.add(client);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      ping.unref();
      res.on('close', () => {
        clearInterval(ping);
        clients.delete(client);
      });
    },
    closeAll() {
      for (const client of clients) client.res.end();
      clients.clear();
      saveNow();
    },
    clientCount: () => clients.size,
  };
}

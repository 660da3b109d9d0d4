/**
 * Runs the console behind a real node:http server on 127.0.0.1 and reads it as a browser does: one SSE stream
 * (messages upserted by id and version) plus the page's POSTs. Gives the contract suite its probe.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConsoleOptions,
  type ConsoleServer,
  createConsolePlatform,
} from '../../../../src/chat/console/console-platform.js';
import type { ConsoleEntry } from '../../../../src/chat/console/console-store.js';
import type { MessageRef } from '../../../../src/chat/core/chat-platform.js';
import { renderPlainText } from '../../../../src/chat/core/render-text.js';
import type { ChatPlatformProbe, SeenMessage } from '../../../contracts/chat-platform.contract.js';

export interface SseView {
  entries: Map<string, ConsoleEntry>;
  events: Array<{ event: string; data: unknown }>;
  close(): void;
}

/** A minimal EventSource: reads `event:`/`data:` frames from a streaming fetch. */
export async function openSse(url: string): Promise<SseView> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: ${res.status}`);
  const view: SseView = { entries: new Map(), events: [], close: () => controller.abort() };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          const parsed = JSON.parse(data.join('\n')) as unknown;
          view.events.push({ event, data: parsed });
          if (event === 'message') {
            const entry = parsed as ConsoleEntry;
            const known = view.entries.get(entry.id);
            if (!known || known.version < entry.version) view.entries.set(entry.id, entry);
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return view;
}

export interface ConsoleHarness {
  console: ConsoleServer;
  base: string;
  server: Server;
  sse: SseView;
  post(path: string, body: unknown): Promise<Response>;
  probe: ChatPlatformProbe;
  close(): Promise<void>;
}

export function seen(entry: ConsoleEntry): SeenMessage {
  return {
    messageId: entry.id,
    ...(entry.threadId ? { threadId: entry.threadId } : {}),
    text: entry.author.kind === 'user' ? entry.message.text : renderPlainText(entry.message),
    buttons: (entry.message.buttons ?? []).map((b) => b.label),
    ...(entry.visibleTo ? { visibleTo: entry.visibleTo } : {}),
  };
}

export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleHarness> {
  const consoleServer = createConsolePlatform(options);
  const server = createServer((req, res) => {
    if (!consoleServer.handle(req, res)) {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sse = await openSse(`${base}/console/events`);
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const expectOk = async (res: Promise<Response>) => {
    const r = await res;
    if (!r.ok) throw new Error(`console POST answered ${r.status}: ${await r.text()}`);
  };
  const probe: ChatPlatformProbe = {
    async lastMessages(limit = 20) {
      return [...sse.entries.values()].slice(-limit).map(seen);
    },
    async messageById(ref: MessageRef) {
      const entry = sse.entries.get(ref.messageId);
      return entry ? seen(entry) : undefined;
    },
    sendCommand: (text) => expectOk(post('/console/command', { text })),
    async clickButton(ref, label) {
      const button = sse.entries.get(ref.messageId)?.message.buttons?.find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" on ${ref.messageId} in the page`);
      await expectOk(post('/console/action', { payload: button.payload, messageId: ref.messageId }));
    },
    sendMessage: (text, options = {}) =>
      expectOk(
        post('/console/message', {
          text: options.mentioned ? `@bot ${text}` : text,
          ...(options.threadId ? { threadId: options.threadId } : {}),
        }),
      ),
  };
  return {
    console: consoleServer,
    base,
    server,
    sse,
    post,
    probe,
    async close() {
      sse.close();
      await consoleServer.platform.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

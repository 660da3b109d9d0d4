/**
 * dingtalk-stream's DWClient with the health it lacks (docs/architecture.md#chat-platforms). The SDK's connect()
 * swallows every error and retries every second for ever (wrong credentials included), defaults to
 * `keepAlive: false`, and only notes a `disconnect` frame; its gateway URL is fixed. Here:
 * - the gateway is asked through DingTalkApi (DINGTALK_API_URL), and start() fails with a clear error when
 *   DingTalk refuses the credentials;
 * - a watchdog pings the socket; a socket that stops answering (half-open), or a connection the gateway said
 *   `disconnect` on, is terminated, and the SDK's reconnect (or the watchdog's own) brings it back;
 * - `isConnected()` is the truth for /readyz.
 */
import { DWClient } from 'dingtalk-stream';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DingTalkApi } from './openapi.js';

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  api: DingTalkApi;
  logger: Logger;
  /** How often the watchdog pings (default 10 s); a socket silent for two periods is replaced. */
  watchdogMs?: number;
}

/** The part of the SDK's `ws` socket the watchdog uses. */
interface SdkSocket {
  readyState: number;
  ping(): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): void;
  listenerCount(event: string): number;
}

/** The SDK's private fields the watchdog needs. */
interface SdkInternals {
  socket?: SdkSocket;
  dw_url?: string;
  userDisconnect: boolean;
}

export class StreamClient extends DWClient {
  private watchdog: NodeJS.Timeout | undefined;
  private lastPong = Date.now();
  private downSince: number | undefined;

  constructor(private readonly opts: StreamClientOptions) {
    super({ clientId: opts.clientId, clientSecret: opts.clientSecret, keepAlive: false });
  }

  private get sdk(): SdkInternals {
    return this as unknown as SdkInternals;
  }

  /** Asks the gateway (the SDK's own would dial api.dingtalk.com whatever DINGTALK_API_URL says). */
  override async getEndpoint(): Promise<this> {
    const answer = await this.opts.api
      .openStreamConnection(this.config.subscriptions, this.config.ua ?? '')
      .catch((error: unknown) => {
        const status = error instanceof AppError ? error.details.status : undefined;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          throw new AppError('CONFIG', `DingTalk refused the app credentials for Stream mode (HTTP ${status})`, {
            cause: error,
            hint: "check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the app's AppKey and AppSecret)",
            details: { fatal: true },
          });
        }
        throw error;
      });
    const { endpoint, ticket } = answer as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket)
      throw new AppError('CHAT_API', 'DingTalk Stream gateway answered without endpoint/ticket');
    this.sdk.dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }

  /** First connection: errors (refused credentials above all) fail start-up instead of looping. */
  async start(): Promise<void> {
    await this.getEndpoint();
    await this._connect();
    this.watch();
    this.opts.logger.info('dingtalk stream connected');
  }

  /** Connected, registered socket that answered the last ping. */
  isConnected(): boolean {
    const socket = this.sdk.socket;
    const period = this.opts.watchdogMs ?? 10_000;
    return this.connected && socket?.readyState === 1 && Date.now() - this.lastPong < 2 * period + 1000;
  }

  private watch(): void {
    const period = this.opts.watchdogMs ?? 10_000;
    this.watchdog = setInterval(() => this.check(period), period);
    this.watchdog.unref();
  }

  private check(period: number): void {
    if (this.sdk.userDisconnect) return;
    const socket = this.sdk.socket;
    if (socket && !socket.listenerCount('pong')) socket.on('pong', () => (this.lastPong = Date.now()));
    const open = socket?.readyState === 1;
    if (open && (!this.connected || Date.now() - this.lastPong > 2 * period)) {
      // Half-open, or the gateway said disconnect: drop it; the SDK's close handler reconnects.
      this.opts.logger.warn('dingtalk stream silent or disconnected; reconnecting');
      this.lastPong = Date.now();
      socket?.terminate();
      return;
    }
    if (open) {
      this.downSince = undefined;
      socket?.ping();
      return;
    }
    // No socket for two periods (the SDK's retry is not running): connect again.
    this.downSince ??= Date.now();
    if (Date.now() - this.downSince > 2 * period) {
      this.downSince = Date.now();
      void this.connect();
    }
  }

  override disconnect(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    super.disconnect();
  }
}

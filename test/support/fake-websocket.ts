/**
 * A minimal WebSocket server side (RFC 6455) for the chat fakes: the upgrade handshake, text frames, ping/pong and
 * close. Enough for @slack/socket-mode and the `ws` client inside dingtalk-stream.
 */
import { type BinaryLike, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers the upgrade request; false (socket destroyed) when it is not a WebSocket handshake. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex): boolean {
  const key = req.headers['sec-websocket-key'];
  if (!key) {
    socket.destroy();
    return false;
  }
  const accept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11` as BinaryLike)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  return true;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export class FakeSocket {
  private buffer = Buffer.alloc(0);
  /** A half-open connection: nothing is read, answered or sent any more, but the TCP socket stays up. */
  silent = false;
  constructor(
    readonly socket: Duplex,
    private readonly onText: (text: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.silent) return;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('error', () => socket.destroy());
  }

  send(text: string): void {
    if (!this.socket.destroyed && !this.silent) this.socket.write(frame(0x1, Buffer.from(text)));
  }

  close(): void {
    if (!this.socket.destroyed) this.socket.end(frame(0x8, Buffer.from([0x03, 0xe8])));
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (b.length < offset + maskLen + len) return;
      const mask = b.subarray(offset, offset + maskLen);
      const payload = Buffer.from(b.subarray(offset + maskLen, offset + maskLen + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
      this.buffer = b.subarray(offset + maskLen + len);
      if (opcode === 0x1) this.onText(payload.toString('utf8'));
      else if (opcode === 0x9 && !this.socket.destroyed) this.socket.write(frame(0xa, payload));
      else if (opcode === 0x8) this.close();
    }
  }
}

/** Shapes DingTalk delivers (Stream `data` and HTTP-mode bodies are the same JSON), and their parsers. */
import { z } from 'zod';

export const robotMessageSchema = z.object({
  msgId: z.string(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  conversationId: z.string(),
  /** "1" = one-to-one, "2" = group */
  conversationType: z.string(),
  conversationTitle: z.string().optional(),
  senderStaffId: z.string().optional(),
  senderNick: z.string().optional(),
  senderId: z.string().optional(),
  robotCode: z.string().optional(),
  isInAtList: z.boolean().optional(),
  createAt: z.number().optional(),
});
export type RobotMessage = z.infer<typeof robotMessageSchema>;

export const cardCallbackSchema = z.object({
  type: z.string().optional(),
  userId: z.string(),
  outTrackId: z.string(),
  corpId: z.string().optional(),
  /** JSON string: {"cardPrivateData":{"actionIds":[…],"params":{…}}} */
  content: z.string(),
});
export type CardCallback = z.infer<typeof cardCallbackSchema>;

const cardContentSchema = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The button payload we put into the card's `params.payload` (a JSON string, since card params are strings). */
export function buttonParamsOf(callback: CardCallback): unknown {
  const content = cardContentSchema.parse(JSON.parse(callback.content));
  const raw = content.cardPrivateData.params?.payload;
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}

/** Text of a robot message with the leading @mention(s) and spaces removed. */
export function messageText(message: RobotMessage): string {
  return (message.text?.content ?? '').replace(/^\s*(@\S+\s*)*/, '').trim();
}

export function isCommandText(text: string): boolean {
  return /^\/?migrate(\s|$)/i.test(text);
}

/** One-to-one conversations are addressed by the user's staff id (robot 1:1 messages go to users, not conversations). */
export const OTO_PREFIX = 'oto:';
export function channelOf(message: RobotMessage): string {
  return message.conversationType === '1' && message.senderStaffId
    ? `${OTO_PREFIX}${message.senderStaffId}`
    : message.conversationId;
}

/**
 * Whether a text reads as a question: it ends with a question mark, opens with a question word, or (Chinese)
 * holds a question word or ends with a question particle. A question where a command was expected goes to the
 * FAQ (docs/contracts.md#command-grammar); chatter that is no question is left alone.
 */

const EN_OPENERS = new Set(
  (
    'how what why when where which who whom whose can could does do did is are was were will would should shall ' +
    'may might must has have any whats hows wheres whys'
  ).split(' '),
);

const ZH_QUESTION =
  /(怎么|怎样|为什么|为啥|如何|什么|哪些|哪个|多久|多长|多少|能不能|会不会|是不是|有没有|要不要|可不可以|是否|能否|吗|呢)/u;

export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (/[?？]\s*$/u.test(trimmed)) return true;
  if (ZH_QUESTION.test(trimmed)) return true;
  const first = /^[a-z']+/i.exec(trimmed)?.[0]?.toLowerCase().replace(/'/g, '');
  return first !== undefined && EN_OPENERS.has(first);
}

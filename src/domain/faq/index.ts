import { FAQ_TOPICS, findTopic } from './knowledge-base.js';
import { matchQuestion } from './matcher.js';
import { hasHan } from './tokenize.js';
import type { FaqAnswer, FaqLang } from './types.js';

export { FAQ_TOPIC_IDS } from './knowledge-base.js';
export type { FaqAnswer, FaqLang } from './types.js';

// Questions longer than this are rambling; their head carries the question and bounds the work per call.
export const MAX_QUESTION_CHARS = 2000;

/** Answer in the question's language: Chinese if it holds any Han character, else English. */
export function detectLang(text: string): FaqLang {
  return hasHan(text) ? 'zh' : 'en';
}

export interface FaqTopicSummary {
  id: string;
  title: string;
}

/** The topics one can ask about, titled in `lang`. */
export function listTopics(lang: FaqLang): FaqTopicSummary[] {
  return FAQ_TOPICS.map((t) => ({ id: t.id, title: t.title[lang] }));
}

const NONE_TITLE = { zh: '不在常见问题里', en: 'Not in the FAQ' } as const;
const NONE_LEAD = {
  zh: '这个我答不上来。我可以回答这些问题：',
  en: 'I can’t answer that. I can answer questions about:',
};
const STATUS_LEAD = {
  zh: '迁移进度请用 `/migrate status [节点池]` 查看。我可以回答这些问题：',
  en: 'For progress, use `/migrate status [pool]`. I can answer questions about:',
};

function noneAnswer(lang: FaqLang, status: boolean): string {
  const lead = status ? STATUS_LEAD[lang] : NONE_LEAD[lang];
  return [lead, ...listTopics(lang).map((t) => `- ${t.title}`)].join('\n');
}

/**
 * Answers a free-text question from the FAQ, in the question's language. Pure and synchronous; the search
 * index is built on the first call and reused. Never throws: anything it cannot answer is topic `none` with
 * the list of topics.
 */
export function answerQuestion(question: string): FaqAnswer {
  const text = question.slice(0, MAX_QUESTION_CHARS);
  const lang = detectLang(text);
  const match = matchQuestion(text);
  const topic = match.topic === 'none' ? undefined : findTopic(match.topic);
  if (!topic) {
    return {
      topic: 'none',
      confidence: match.confidence,
      lang,
      title: NONE_TITLE[lang],
      answer: noneAnswer(lang, match.intent === 'status'),
    };
  }
  return { topic: topic.id, confidence: match.confidence, lang, title: topic.title[lang], answer: topic.answer[lang] };
}

export type FaqLang = 'zh' | 'en';

/** Text in both languages the bot answers in. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * One FAQ topic. `id` is stable (chat adapters, metrics and tests refer to it). Answers use a small markdown
 * subset every platform can render: *bold*, `code` and "- " list lines.
 */
export interface FaqTopic {
  id: string;
  title: Bilingual;
  answer: Bilingual;
  /** How people ask it, several per language; also short keyword phrases. Indexed, never shown. */
  questions: { zh: string[]; en: string[] };
}

export interface FaqAnswer {
  /** A topic id, or 'none' when the question is not one the FAQ can answer. */
  topic: string | 'none';
  /** 0..1: how sure the matcher is (it answers `none` below its threshold). */
  confidence: number;
  /** The question's language: 'zh' if it contains Han characters, else 'en'. */
  lang: FaqLang;
  answer: string;
  title: string;
}

/** Extra asking phrases per topic id, merged into the topics' `questions` by the knowledge base. */
export type PhraseFamilies = Readonly<Record<string, Readonly<{ zh: readonly string[]; en: readonly string[] }>>>;

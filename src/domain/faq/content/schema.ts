import { z } from 'zod';
import { AppError } from '../../../errors.js';
import type { FaqTopic } from '../types.js';

/**
 * The shape of every FAQ content file in this folder. Each file is checked when it is loaded (content/index.ts):
 * a mistake in the data fails at startup with the file and the path of the bad field, not as a silently worse
 * match. `description` and `note` fields are documentation for whoever edits the data; the code ignores them.
 */

const text = z
  .string()
  .min(1)
  .refine((s) => s.trim() === s, 'must not start or end with whitespace');
const note = text.optional();
const topicId = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case topic id');
// Questions are lowercased and NFKC-normalised before synonyms apply: a variant that is not would never match.
const variant = text.refine((s) => s === s.normalize('NFKC').toLowerCase(), 'must be lowercase and NFKC-normalised');
const term = z.string().regex(/^[a-z0-9.]+$/, 'must be one lowercase ASCII index term');

const bilingual = z.strictObject({ zh: text, en: text });
const questionLists = z.strictObject({ zh: z.array(text).min(1), en: z.array(text).min(1) });

const topic = z.strictObject({
  id: topicId,
  title: bilingual,
  answer: bilingual,
  questions: questionLists,
}) satisfies z.ZodType<FaqTopic>;

export const TopicsFile = z.strictObject({ description: text, topics: z.array(topic).min(1) });

export const PhrasesFile = z.strictObject({
  description: text,
  families: z.record(topicId, z.strictObject({ zh: z.array(text), en: z.array(text) })),
});

export const SynonymsFile = z.strictObject({
  description: text,
  groups: z.array(
    z.strictObject({
      note,
      // Canonical term(s); empty drops the variants from the question (filler words).
      to: z
        .string()
        .regex(/^([a-z0-9.]+( [a-z0-9.]+)*)?$/, 'must be lowercase ASCII words separated by single spaces, or empty'),
      variants: z.array(variant).min(1),
    }),
  ),
});

export const OutOfScopeFile = z.strictObject({
  description: text,
  intents: z.array(
    z.strictObject({
      note,
      intent: z.enum(['status', 'smalltalk', 'request']),
      phrases: z.array(text).min(1),
    }),
  ),
});

export const OpsFile = z.strictObject({
  description: text,
  groups: z.array(z.strictObject({ note, phrases: z.array(text).min(1) })).min(1),
});

export const AnchorsFile = z
  .strictObject({ description: text, anchorTerms: z.array(term).min(1), runtimeTerms: z.array(term).min(1) })
  .superRefine((file, ctx) => {
    const anchors = new Set(file.anchorTerms);
    file.runtimeTerms.forEach((t, i) => {
      if (!anchors.has(t)) {
        ctx.addIssue({ code: 'custom', path: ['runtimeTerms', i], message: `"${t}" must also be in anchorTerms` });
      }
    });
  });

/** Every content file and its schema; a JSON file in this folder that is not listed here is never loaded. */
export const CONTENT_SCHEMAS = {
  'topics-planning.json': TopicsFile,
  'topics-safety.json': TopicsFile,
  'topics-after.json': TopicsFile,
  'phrases-planning.json': PhrasesFile,
  'phrases-safety.json': PhrasesFile,
  'phrases-after.json': PhrasesFile,
  'synonyms.json': SynonymsFile,
  'synonyms-phrasing.json': SynonymsFile,
  'out-of-scope.json': OutOfScopeFile,
  'out-of-scope-ops.json': OpsFile,
  'anchors.json': AnchorsFile,
} as const;

export type ContentFile = keyof typeof CONTENT_SCHEMAS;
export type ContentOf<F extends ContentFile> = z.output<(typeof CONTENT_SCHEMAS)[F]>;

export const CONTENT_DIR = 'src/domain/faq/content';
const MAX_ISSUES = 10;

/** `topics[3].answer.en`, `families["why-migrate"].zh[0]`: where in the file the bad value is. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the whole file)';
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/**
 * Checks one content file's data against its schema and returns it typed. Throws an INTERNAL AppError whose
 * message names the file and, for each problem, the path of the bad field (`details.issues` lists them).
 */
export function parseContent<F extends ContentFile>(file: F, data: unknown): ContentOf<F> {
  const result = CONTENT_SCHEMAS[file].safeParse(data);
  if (result.success) return result.data as ContentOf<F>;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const shown = issues.slice(0, MAX_ISSUES).join('; ');
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  throw new AppError('INTERNAL', `FAQ content ${CONTENT_DIR}/${file} is invalid: ${shown}${more}`, {
    details: { file: `${CONTENT_DIR}/${file}`, issues },
  });
}

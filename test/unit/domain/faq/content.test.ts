import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SCHEMAS, type ContentFile, parseContent } from '../../../../src/domain/faq/content/schema.js';
import { isAppError } from '../../../../src/errors.js';

const DIR = new URL('../../../../src/domain/faq/content/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json'));

function read(file: ContentFile): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, unknown>;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error('expected the content to be refused');
}

describe('FAQ content files', () => {
  it('has a schema for every JSON file in the folder, and every file passes it', () => {
    expect(FILES.sort()).toEqual(Object.keys(CONTENT_SCHEMAS).sort());
    for (const file of Object.keys(CONTENT_SCHEMAS) as ContentFile[]) {
      expect(() => parseContent(file, read(file)), file).not.toThrow();
    }
  });

  it('refuses a malformed topic, naming the file and the path of the bad field', () => {
    const data = read('topics-planning.json');
    const topics = data.topics as Array<Record<string, Record<string, unknown>>>;
    topics[2]!.answer!.en = 42;
    const error = errorOf(() => parseContent('topics-planning.json', data));
    expect(error.message).toMatch(/^FAQ content src\/domain\/faq\/content\/topics-planning\.json is invalid: /);
    expect(error.message).toContain('topics[2].answer.en: ');
    expect(isAppError(error) && error.code).toBe('INTERNAL');
    expect(isAppError(error) && error.details.issues).toEqual([expect.stringMatching(/^topics\[2\]\.answer\.en: /)]);
  });

  it('refuses a misspelt field and an empty question instead of ignoring them', () => {
    const data = read('topics-after.json');
    const topic = (data.topics as Array<Record<string, unknown>>)[0]!;
    topic.queston = topic.questions;
    (topic.questions as { en: string[] }).en[1] = '';
    const message = errorOf(() => parseContent('topics-after.json', data)).message;
    expect(message).toContain('src/domain/faq/content/topics-after.json');
    expect(message).toMatch(/topics\[0\]: .*queston/);
    expect(message).toContain('topics[0].questions.en[1]: ');
  });

  it('names a bad phrase family by its topic id', () => {
    const data = read('phrases-safety.json');
    const families = data.families as Record<string, { zh: unknown[] }>;
    families.rollback!.zh.push(7);
    const message = errorOf(() => parseContent('phrases-safety.json', data)).message;
    expect(message).toContain('phrases-safety.json');
    expect(message).toMatch(/families\.rollback\.zh\[\d+\]: /);
  });

  it('refuses a synonym variant that could never match and a runtime term that is not an anchor', () => {
    const synonyms = read('synonyms.json');
    const groups = synonyms.groups as Array<{ variants: string[] }>;
    groups[0]!.variants[1] = 'Roll Back';
    expect(errorOf(() => parseContent('synonyms.json', synonyms)).message).toContain(
      'synonyms.json is invalid: groups[0].variants[1]: must be lowercase and NFKC-normalised',
    );

    const anchors = read('anchors.json');
    anchors.runtimeTerms = ['docker', 'podman'];
    expect(errorOf(() => parseContent('anchors.json', anchors)).message).toContain(
      'anchors.json is invalid: runtimeTerms[1]: "podman" must also be in anchorTerms',
    );
  });
});

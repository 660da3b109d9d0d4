import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { printJson, runAction } from '../run-action.js';

interface FaqOptions {
  json?: boolean;
}

export function registerFaq(program: Command): void {
  program
    .command('faq')
    .alias('ask')
    .description('answer a question about the Docker → containerd migration (Chinese or English)')
    .argument('[question...]', 'the question, quoted or not')
    .option('--json', 'print {"topic","confidence","answer","lang"}')
    .action(
      runAction(async (words: string[], opts: FaqOptions) => {
        const question = words.join(' ').trim();
        if (!question)
          throw new AppError('BAD_INPUT', 'faq needs a question', { hint: 'ack-migrate faq "can we roll back?"' });
        // The knowledge base loads only for this command, not for every other one.
        const { answerQuestion } = await import('../../domain/faq/index.js');
        const a = answerQuestion(question);
        if (opts.json) return printJson({ topic: a.topic, confidence: a.confidence, answer: a.answer, lang: a.lang });
        process.stdout.write(`${a.answer}\n`);
      }),
    );
}

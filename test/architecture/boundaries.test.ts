import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { cruise, type ICruiseOptions, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Ports and adapters, enforced by a machine (the rules: .dependency-cruiser.cjs; the picture:
 * docs/architecture.md#folders-and-layers). The guard must also be seen to bite: a scratch tree inside the
 * checkout (so packages resolve) gets one planted violation per rule family and must fail naming each file.
 */
const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[];
  options: ICruiseOptions;
};

async function violations(
  paths: string[],
  baseDir?: string,
): Promise<{
  lines: string[];
  cruised: number;
  modules: Array<{ source: string; dependencies: Array<{ resolved: string; module: string }> }>;
}> {
  const result = await cruise(paths, {
    ...config.options,
    ...(baseDir ? { baseDir, tsConfig: { fileName: 'tsconfig.json' } } : {}),
    ruleSet: { forbidden: config.forbidden },
    validate: true,
  });
  const output = result.output;
  if (typeof output === 'string') throw new Error('unexpected string output');
  return {
    lines: output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
    cruised: output.summary.totalCruised,
    modules: output.modules,
  };
}

describe('architecture', () => {
  it('keeps every layer to what it may import, each SDK in its folder, the sandbox out, no cycles', async () => {
    const { lines, cruised, modules } = await violations(['src', 'jobs']);
    expect(lines).toEqual([]);
    // The guard must see the code it guards: a resolver mistake would otherwise pass silently.
    expect(cruised).toBeGreaterThan(100);
    const edge = (from: string, to: string) =>
      modules.find((m) => m.source === from)?.dependencies.some((d) => d.resolved === to);
    expect(edge('src/domain/command-grammar.ts', 'src/domain/duration.ts')).toBe(true);
    expect(edge('src/app/worker-runtime.ts', 'jobs/migrate.ts')).toBe(true);
    const redisStores = modules.find((m) => m.source === 'src/stores/redis/redis-stores.ts');
    expect(redisStores?.dependencies.some((d) => d.module === 'ioredis')).toBe(true);
  });

  describe('bites on planted violations', () => {
    const root = mkdtempSync(join(process.cwd(), '.planted-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const plant = (files: Record<string, string>) => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
    };
    plant({
      'tsconfig.json': JSON.stringify({
        extends: relative(root, join(process.cwd(), 'tsconfig.json')),
        include: ['src', 'jobs'],
      }),
      'src/errors.ts': 'export const E = 1;\n',
      'src/domain/pure.ts': 'export const P = 1;\n',
      'src/services/planner-service.ts': "import { P } from '../domain/pure.js';\nexport const S = P;\n",
      'src/sandbox/world.ts': 'export const W = 1;\n',
      // a gateway that imports a service
      'src/gateways/cloud/uses-service.ts':
        "import { S } from '../../services/planner-service.js';\nexport const G = S;\n",
      // ioredis in the domain
      'src/domain/uses-redis.ts': "import { Redis } from 'ioredis';\nexport const R = Redis;\n",
      // a service that imports the sandbox
      'src/services/uses-sandbox.ts': "import { W } from '../sandbox/world.js';\nexport const U = W;\n",
      // a chat adapter that reaches into the stores
      'src/chat/slack/uses-store.ts': "import { T } from '../../stores/redis/thread-store.js';\nexport const C = T;\n",
      'src/stores/redis/thread-store.ts': "import { Redis } from 'ioredis';\nexport const T = Redis;\n",
      // the queue importing a job processor, and a job importing the queue
      'src/queue/worker.ts': "import { J } from '../../jobs/migrate.js';\nexport const Q = J;\n",
      'jobs/migrate.ts': "import { P } from '../src/domain/pure.js';\nexport const J = P;\n",
      // a cycle
      'src/services/a.ts': "import { B } from './b.js';\nexport const A = 1 + B;\n",
      'src/services/b.ts': "import { A } from './a.js';\nexport const B = () => A;\n",
    });

    it('names each planted file with the rule it breaks', async () => {
      const { lines } = await violations(['src', 'jobs'], root);
      const hit = (rule: string, from: string) => lines.some((l) => l.startsWith(`${rule}: ${from} →`));
      expect(hit('gateways-imports-only-its-layers', 'src/gateways/cloud/uses-service.ts')).toBe(true);
      expect(hit('ioredis-sdk-only-in-its-adapter', 'src/domain/uses-redis.ts')).toBe(true);
      expect(hit('domain-no-npm-except-pure-libs', 'src/domain/uses-redis.ts')).toBe(true);
      expect(hit('sandbox-only-from-app-and-cli-sandbox', 'src/services/uses-sandbox.ts')).toBe(true);
      expect(hit('services-imports-only-its-layers', 'src/services/uses-sandbox.ts')).toBe(true);
      expect(hit('chat-adapter-imports-only-its-layers', 'src/chat/slack/uses-store.ts')).toBe(true);
      expect(hit('no-folder-cycle-jobs-queue', 'src/queue/worker.ts')).toBe(true);
      expect(hit('no-cycles', 'src/services/a.ts')).toBe(true);
      // and nothing about the files that break no rule
      expect(
        lines.filter((l) => /: src\/(domain\/pure|services\/planner-service|sandbox\/world)\.ts →/.test(l)),
      ).toEqual([]);
    });
  });
});

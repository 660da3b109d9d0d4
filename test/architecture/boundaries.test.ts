import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/**
 * Ports and adapters, enforced by a machine: domain code is pure (no SDK, no I/O), each vendor SDK is imported
 * by one folder only, and there are no import cycles.
 */
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|readline|os|process)$';
const SDKS: Array<[string, string, string]> = [
  ['slack', '^@slack/', '^src/chat/slack/'],
  ['dingtalk', '^dingtalk-stream', '^src/chat/dingtalk/'],
  ['kubernetes', '^@kubernetes/client-node', '^src/gateways/cluster/'],
  ['alibaba-cloud', '^@alicloud/', '^src/gateways/cloud/'],
  ['bullmq', '^bullmq', '^(src/queue/|jobs/)'],
];

const rules: IForbiddenRuleType[] = [
  { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
  {
    name: 'domain-is-pure-io',
    severity: 'error',
    from: { path: '^src/domain/' },
    to: { dependencyTypes: ['core'], path: IO_MODULES },
  },
  {
    name: 'domain-imports-only-domain',
    severity: 'error',
    from: { path: '^src/domain/' },
    to: { dependencyTypes: ['local'], pathNot: '^src/(domain/|errors\\.ts$)' },
  },
  {
    name: 'domain-no-npm-except-pure-libs',
    severity: 'error',
    from: { path: '^src/domain/' },
    to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'], pathNot: 'node_modules/(minisearch|zod)/' },
  },
  ...SDKS.map(
    ([name, sdk, home]): IForbiddenRuleType => ({
      name: `${name}-sdk-only-in-its-adapter`,
      severity: 'error',
      from: { pathNot: home },
      to: { path: `node_modules/${sdk.slice(1)}` },
    }),
  ),
];

describe('architecture', () => {
  it('keeps the domain pure, each SDK in one folder, and has no import cycles', async () => {
    const result = await cruise(['src', 'jobs'], {
      ruleSet: { forbidden: rules },
      validate: true,
      tsPreCompilationDeps: true,
      tsConfig: { fileName: 'tsconfig.json' },
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '^(dist|test)/' },
    });
    const output = result.output;
    if (typeof output === 'string') throw new Error('unexpected string output');
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    // The guard must see the code it guards: a resolver mistake would otherwise pass silently.
    expect(output.summary.totalCruised).toBeGreaterThan(10);
    const domainModule = output.modules.find((m) => m.source === 'src/domain/command-grammar.ts');
    expect(domainModule?.dependencies.map((d) => d.resolved)).toContain('src/domain/duration.ts');
  });
});

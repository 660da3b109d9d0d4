import { OPS_PHRASE_GROUPS } from './out-of-scope-ops.js';

/**
 * Things people say in a migration thread that are not FAQ questions. They are indexed next to the topics so
 * that "is it done yet" is recognised as a status question (answered by `/migrate status`, never by the FAQ)
 * "thanks" as small talk, "帮我重启一下" as a request to operate something and "scale my app" as an everyday ops
 * question (out-of-scope-ops.ts), instead of being forced onto the closest topic. When one of these wins, the
 * answer is `none`. Several entries may share an intent: each is its own document, a centroid of near misses.
 */
export type OutOfScopeIntentName = 'status' | 'smalltalk' | 'request' | 'ops';

export interface OutOfScopeIntent {
  intent: OutOfScopeIntentName;
  phrases: string[];
}

export const OUT_OF_SCOPE_INTENTS: OutOfScopeIntent[] = [
  ...OPS_PHRASE_GROUPS.map((phrases) => ({ intent: 'ops' as const, phrases: [...phrases] })),
  {
    intent: 'status',
    phrases: [
      '迁移进度怎么样了',
      '现在进行到哪一步',
      '升级完了没有',
      '还要多久才能完成 当前进度',
      '哪些节点已经升级完成',
      'is the migration finished',
      'progress of the current migration',
      'how far along is the upgrade',
      'which batch is running right now',
      'status of the pool',
      'has it completed',
      'are we there yet',
      '还剩几个节点没升级',
      'how many nodes remaining',
      'where is pool-x now',
      'np-x 升级到哪了',
    ],
  },
  {
    // Asking the bot to operate something is a command (`/migrate …`) or a job for a person, not a question.
    intent: 'request',
    phrases: [
      '帮我重启一下',
      '帮我删掉这个',
      '帮我看看集群',
      '麻烦处理一下',
      'please restart it for me',
      'can you delete that for me',
      'kill it please',
      'run this for me',
    ],
  },
  {
    intent: 'smalltalk',
    phrases: [
      '你好',
      '在吗',
      '谢谢',
      '多谢 辛苦了',
      '好的 收到',
      'hello there',
      'hi bot',
      'thank you',
      'thanks a lot',
      'great job',
      'cool nice',
    ],
  },
];

/** The platform-neutral chat core: the message model, the ChatPlatform port, builders and the coalescer. */
export * from './chat-platform.js';
export * from './coalescer.js';
export * from './format.js';
export * from './message.js';
export * from './messages/approval.js';
export * from './messages/basic.js';
export * from './messages/batch.js';
export * from './messages/final.js';
export * from './messages/migration.js';
export * from './messages/precheck.js';
export * from './migration-view.js';
export * from './rate-limit.js';
export * from './render-text.js';

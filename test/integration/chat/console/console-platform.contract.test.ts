import { chatPlatformContract } from '../../../contracts/chat-platform.contract.js';
import { startConsole } from './console-harness.js';

chatPlatformContract('console (real HTTP + SSE)', async (handler) => {
  const harness = await startConsole({ userId: 'operator' });
  await harness.console.platform.start(handler);
  return {
    platform: harness.console.platform,
    probe: harness.probe,
    channel: harness.console.platform.channel,
    userId: 'operator',
    close: () => harness.close(),
  };
});

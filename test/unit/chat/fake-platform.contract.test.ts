import { chatPlatformContract } from '../../contracts/chat-platform.contract.js';
import { createFakeChatPlatform } from '../../support/fake-chat-platform.js';

chatPlatformContract('fake (threads)', async (handler) => {
  const platform = createFakeChatPlatform({ platform: 'slack' });
  await platform.start(handler);
  return {
    platform,
    probe: platform.probe(),
    channel: platform.channel,
    userId: platform.userId,
    close: () => platform.stop(),
  };
});

chatPlatformContract('fake (no threads)', async (handler) => {
  const platform = createFakeChatPlatform({ platform: 'dingtalk', supportsThreads: false, channel: 'cid-1' });
  await platform.start(handler);
  return {
    platform,
    probe: platform.probe(),
    channel: platform.channel,
    userId: platform.userId,
    close: () => platform.stop(),
  };
});

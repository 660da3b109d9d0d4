import { Writable } from 'node:stream';
import { createSlackPlatform } from '../../../../src/chat/slack/slack-platform.js';
import { startHttpServer } from '../../../../src/http/http-server.js';
import { createLogger } from '../../../../src/log/logger.js';
import { createMetrics } from '../../../../src/metrics/metrics.js';
import { chatPlatformContract } from '../../../contracts/chat-platform.contract.js';
import { startFakeSlackApi } from '../../../support/fake-slack-api.js';
import { createSlackProbe } from './slack-probe.js';

const SECRET = 'contract-signing-secret-01';
const CHANNEL = 'C00FAKECHAN1';
const USER = 'U00FAKEUSER2';

// The real adapter (Bolt's HTTP receiver on the bot's HTTP server), a fake Slack Web API, signed requests.
chatPlatformContract('slack (HTTP mode, fake Web API)', async (handler) => {
  const fake = await startFakeSlackApi();
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const platform = createSlackPlatform({
    config: { botToken: 'xoxb-contract-token-01', signingSecret: SECRET, appToken: undefined, apiUrl: fake.apiUrl },
    logger,
  });
  const http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: [platform.route!],
    readiness: [],
    metrics: createMetrics({ defaultMetrics: false }),
    logger,
  });
  await platform.start(handler);
  return {
    platform,
    channel: CHANNEL,
    userId: USER,
    probe: createSlackProbe({
      fake,
      eventsUrl: `${http.url}/slack/events`,
      signingSecret: SECRET,
      channel: CHANNEL,
      userId: USER,
    }),
    async close() {
      await platform.stop();
      await http.close();
      await fake.close();
    },
  };
});

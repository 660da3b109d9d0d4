/**
 * Debian's Chromium driven by playwright-core. No browser is ever downloaded: the test uses /usr/bin/chromium
 * (`.ci/run` installs the `chromium` package when it is missing) or CHROMIUM_PATH.
 */
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `the browser test needs Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` (.ci/run does) or set CHROMIUM_PATH`,
    );
  }
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

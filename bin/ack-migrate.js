#!/usr/bin/env node
// In a checkout with dev dependencies, runs the TypeScript sources through tsx; otherwise the compiled build
// (`npm run build`; the Docker image ships only dist/ and production dependencies, so plain Node runs it).
import { existsSync } from 'node:fs';

const src = new URL('../src/cli/main.ts', import.meta.url);
const dist = new URL('../dist/src/cli/main.js', import.meta.url);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(src) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  await import(src.href);
} else if (existsSync(dist)) {
  await import(dist.href);
} else {
  process.stderr.write('ack-migrate: no build found: run `npm install` (dev dependencies) or `npm run build`\n');
  process.exit(1);
}

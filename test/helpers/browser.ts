/**
 * Debian's Chromium driven by playwright-core for the dashboard's browser tests and bench:ui (never a
 * downloaded browser: scripts/ensure-chromium.sh installs the distribution package in CI), and the
 * dashboard built fresh from ui/ so a test never runs against a stale build.
 */
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** `vite build` of the dashboard into dist/ui (`npm run build:ui`, which `npm run build` runs after tsc). */
export function buildUi(): void {
  const r = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'],
    // The test runner sets NODE_ENV=test, which would make Vite build development JSX and code.
    { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (r.status !== 0) throw new Error(`the dashboard did not build:\n${r.stdout}\n${r.stderr}`);
}

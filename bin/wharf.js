#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli, compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/bin.js', import.meta.url);
// Without this check a clone installed with --ignore-scripts (prepare never ran) gets a bare
// ERR_MODULE_NOT_FOUND stack trace that does not say what to do.
if (existsSync(cli)) {
  await import(cli.href);
} else {
  console.error(
    'Wharf is not built: dist/src/cli/bin.js is missing. Run `npm run build` in the Wharf folder ' +
      '(npm ci and installs from git run it through prepare, unless scripts were disabled).',
  );
  process.exitCode = 1;
}

#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli, compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import '../dist/src/cli/bin.js';

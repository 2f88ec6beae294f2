// Rewrites the settings table of docs/operations.md from src/config/schema.ts (npm run docs:settings).
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSettingsSection } from '../src/config/settings-table.js';

const path = 'docs/operations.md';
writeFileSync(path, replaceSettingsSection(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);

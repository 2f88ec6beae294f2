/**
 * Writes docs/events.md from the event catalog. Usage: npm run docs:events
 * (= npx tsx scripts/gen-events-doc.ts). The test suite fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { renderEventsDoc } from '../src/events/events-doc.js';

const target = new URL('../docs/events.md', import.meta.url);
writeFileSync(target, renderEventsDoc());
console.log(`wrote ${target.pathname}`);

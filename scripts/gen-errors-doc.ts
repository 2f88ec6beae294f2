// Writes docs/errors.md from the error catalogue (npm run docs:errors).
import { writeFileSync } from 'node:fs';
import { errorsDoc } from '../src/error-help.js';

writeFileSync('docs/errors.md', errorsDoc());
console.log('updated docs/errors.md');

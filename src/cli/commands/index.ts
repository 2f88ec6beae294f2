import type { Command } from 'commander';
import { startCommand } from './start.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';
import { verifyCommand } from './verify.js';
import { replayCommand } from './replay.js';
import { doctorCommand } from './doctor.js';
import { listenCommand } from './listen.js';
import { destinationsCommand } from './destinations.js';
import { pruneCommand } from './prune.js';
import { sendCommand } from './send.js';

/** Every `wharf <command>`; each file in this folder exports one factory. */
export const COMMANDS: ReadonlyArray<() => Command> = [
  startCommand,
  migrateCommand,
  simulateCommand,
  verifyCommand,
  replayCommand,
  doctorCommand,
  listenCommand,
  destinationsCommand,
  pruneCommand,
  sendCommand,
];

import type { Command } from 'commander';

/** Every `wharf <command>`; each file in this folder exports one factory. */
export const COMMANDS: ReadonlyArray<() => Command> = [];

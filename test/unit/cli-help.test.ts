import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { COMMANDS } from '../../src/cli/commands/index.js';

const commands: Command[] = COMMANDS.map((make) => make());

/** Every option's line in --help, as commander renders it (description plus choices and default). */
function optionLines(command: Command): Array<{ flags: string; text: string }> {
  const help = command.createHelp();
  return help.visibleOptions(command).map((o) => ({ flags: o.flags, text: help.optionDescription(o) }));
}

describe('wharf --help and each command help', () => {
  test('there are commands to check', () => {
    assert.ok(commands.length >= 6);
  });

  test('every command description starts in lower case, as commander writes its own', () => {
    for (const c of commands)
      assert.match(c.description(), /^[a-z]/, `wharf ${c.name()}: ${c.description()}`);
  });

  test('every option description starts in lower case', () => {
    for (const c of commands)
      for (const o of optionLines(c))
        assert.match(o.text, /^[a-z]/, `wharf ${c.name()} ${o.flags}: ${o.text}`);
  });

  test('no option shows its default twice, and none shows it as a quoted JSON string', () => {
    for (const c of commands)
      for (const o of optionLines(c)) {
        const where = `wharf ${c.name()} ${o.flags}: ${o.text}`;
        assert.ok((o.text.match(/\(default:/g) ?? []).length <= 1, where);
        assert.doesNotMatch(o.text, /\(default: ["[]/, where);
      }
  });

  test('simulate --help shows the scenario default once, as "all"', () => {
    const simulate = commands.find((c) => c.name() === 'simulate');
    assert.ok(simulate);
    const scenario = optionLines(simulate).find((o) => o.flags.startsWith('--scenario'));
    assert.equal(scenario?.text, 'scenario to send; repeat for several (default: all)');
  });
});

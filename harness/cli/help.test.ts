/**
 * The help as a user reads it: `ichiren --help` lists the nine commands in their groups, in order;
 * every command's help ends with an example that uses only options the command has; options that
 * several commands share sit in the same group everywhere.
 */
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_GROUPS, COMMAND_HELP } from './help.js';
import { buildProgram } from './main.js';

let program: Command;

/** The full help text of a command, as printed (with the text added after it). */
function helpOf(command: Command): string {
  let out = '';
  command.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  command.outputHelp();
  return out;
}

/** Sections of a help text: heading line → the lines under it. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line)) {
      current = line;
      out.set(current, []);
    } else if (current) out.get(current)?.push(line);
  }
  return out;
}

const command = (name: string) => {
  const c = program.commands.find((x) => x.name() === name);
  if (!c) throw new Error(`no command ${name}`);
  return c;
};

beforeAll(async () => {
  program = await buildProgram();
});

describe('ichiren --help', () => {
  it('lists run, population, watch, audit, app-check, cases, server, hersys, export and keys, each in its group, in order', () => {
    const s = sections(helpOf(program));
    const listed = [...s].flatMap(([heading, lines]) =>
      lines
        .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
        .filter((n): n is string => !!n && n !== 'help')
        .map((n) => [heading, n]),
    );
    expect(listed.map(([, n]) => n)).toEqual([
      'run',
      'population',
      'watch',
      'audit',
      'app-check',
      'cases',
      'server',
      'hersys',
      'export',
      'keys',
    ]);
    for (const [heading, name] of listed) expect(heading).toBe(COMMAND_GROUPS[COMMAND_HELP[name].group]);
  });

  it('gives every command one example, using only options the command (or its subcommand) has', () => {
    for (const name of Object.keys(COMMAND_HELP)) {
      const text = helpOf(command(name));
      expect(text.match(/^Example:$/gm), name).toHaveLength(1);
      const line = /^ {2}\$ (.*)$/m.exec(text.split('Example:')[1])?.[1] ?? '';
      expect(line, name).toContain(`ichiren ${name}`);
      const sub = command(name).commands.find((c) => line.includes(`ichiren ${name} ${c.name()} `));
      const known = new Set([...command(name).options, ...(sub?.options ?? [])].map((o) => o.long));
      const used = [...line.matchAll(/\s(--[a-z-]+)/g)].map((m) => m[1]);
      expect(
        used.filter((flag) => !known.has(flag)),
        `${name}: ${line}`,
      ).toEqual([]);
    }
  });

  it('puts an option shared by several commands in the same group in each', () => {
    const groupOf = new Map<string, Map<string, string>>();
    for (const name of Object.keys(COMMAND_HELP))
      for (const [heading, lines] of sections(helpOf(command(name))))
        for (const l of lines) {
          const flag = /^ {2}(?:-\w, )?(--[a-z-]+)/.exec(l)?.[1];
          if (!flag || flag === '--help') continue;
          if (!groupOf.has(flag)) groupOf.set(flag, new Map());
          groupOf.get(flag)?.set(name, heading);
        }
    const shared = ['--release', '--seed', '--report-dir', '--server-url', '--workers', '--server-command'];
    for (const flag of shared) {
      const headings = new Set(groupOf.get(flag)?.values());
      expect(groupOf.get(flag)?.size ?? 0, flag).toBeGreaterThan(1);
      expect([...headings], flag).toHaveLength(1);
      expect([...headings][0], flag).not.toBe('Options:');
    }
  });
});

/**
 * How `ichiren --help` and every command's help read: commands in groups by what a user wants to do,
 * options in the same groups wherever commands share them, and one example per command. Kept as one
 * table, apart from the commands, so the help stays consistent as commands are added.
 */
import type { Command } from 'commander';

/** Command groups of `ichiren --help`, in the order they are listed. */
export const COMMAND_GROUPS = {
  test: 'Test the chain (連鎖の試験):',
  document: 'Documents (文書):',
  services: 'Run one piece alone (単独で起動):',
  tools: 'GAEN data tools (鍵とエクスポート):',
} as const;

interface CommandHelp {
  readonly group: keyof typeof COMMAND_GROUPS;
  /** A command line that works from the checkout, and what it does. */
  readonly example: readonly [command: string, what: string];
}

/** Every top-level command, in the order `ichiren --help` lists them. */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  run: {
    group: 'test',
    example: [
      'ichiren run scenarios --release cocoa-1.1.4',
      'the library under the 1.1.4 release: Android breaks at score (exit 1)',
    ],
  },
  population: {
    group: 'test',
    example: [
      'ichiren population --phones 10000 --days 14 --compare cocoa-1.1.4',
      'share of close contacts notified per platform, against a second release',
    ],
  },
  watch: {
    group: 'test',
    example: [
      'ichiren watch --server-url https://staging.example.jp --hersys-listen 8090 --dry-run',
      'what one fixed-point observation of a deployed environment would send',
    ],
  },
  audit: {
    group: 'test',
    example: [
      'ichiren audit --only exact-thresholds --min-score 0',
      'plant one class of defects and report which the library catches',
    ],
  },
  'app-check': {
    group: 'test',
    example: [
      'ichiren app-check "python3 cocoa.py" --cwd examples/external-app',
      "the app protocol's conformance checks against your own app, one line per failure with its fix",
    ],
  },
  cases: {
    group: 'document',
    example: [
      'ichiren cases --audit reports/audit.json',
      'reports/cases.html and cases.pdf, with the defects each case caught in that audit',
    ],
  },
  server: {
    group: 'services',
    example: [
      'ICHIREN_SERVER_ADMIN_TOKEN=t ichiren server --port 8080 --hersys-url http://127.0.0.1:8081/api/verify',
      'the reference notification server on its own',
    ],
  },
  hersys: {
    group: 'services',
    example: [
      'ichiren hersys --port 8081 --token demo-token',
      'the dummy HER-SYS; its 保健所 screen at /?token=demo-token',
    ],
  },
  export: {
    group: 'tools',
    example: [
      'ichiren export inspect 1.zip --public-key fixtures/signing/test-export-signing-key.pub.pem',
      'decode an export file and verify its signature',
    ],
  },
  keys: {
    group: 'tools',
    example: [
      'ichiren keys rpis --tek 000102030405060708090a0b0c0d0e0f --interval 2700000 --count 3',
      'the RPIs one key broadcasts',
    ],
  },
};

/** Option groups shared by every command that has the option (matched by its long flag). */
export const OPTION_GROUPS = {
  what: 'What runs:',
  server: 'Server under test:',
  publish: 'Publishing on a deployed server:',
  output: 'Output:',
  execution: 'Execution:',
} as const;

const OPTION_GROUP_OF: Readonly<Record<string, keyof typeof OPTION_GROUPS>> = {
  '--release': 'what',
  '--app': 'what',
  '--app-command': 'what',
  '--app-cwd': 'what',
  '--platform': 'what',
  '--grep': 'what',
  '--tag': 'what',
  '--seed': 'what',
  '--seeds': 'what',
  '--every-cell': 'what',
  '--now': 'what',
  '--catalog': 'what',
  '--only': 'what',
  '--target': 'server',
  '--server-url': 'server',
  '--verification-key': 'server',
  '--api-secret': 'server',
  '--hersys-listen': 'server',
  '--server-image': 'server',
  '--server-command': 'server',
  '--version-url': 'server',
  '--publish-url': 'publish',
  '--publish-token': 'publish',
  '--publish-timeout': 'publish',
  '--publish-command': 'publish',
  '--report-dir': 'output',
  '--reporter': 'output',
  '--audit': 'output',
  '--no-pdf': 'output',
  '--workers': 'execution',
  '--jobs': 'execution',
  '--step-timeout': 'execution',
  '--min-score': 'execution',
};

/** Puts each command in its group with its example, and its options in the shared groups. */
export function applyHelp(program: Command): void {
  for (const command of program.commands) {
    const help = COMMAND_HELP[command.name()];
    if (!help) continue; // commander's own `help`
    command.helpGroup(COMMAND_GROUPS[help.group]);
    command.addHelpText('after', `\nExample:\n  $ ${help.example[0]}\n    ${help.example[1]}\n`);
    for (const option of command.options) {
      const group = option.long ? OPTION_GROUP_OF[option.long] : undefined;
      if (group) option.helpGroup(OPTION_GROUPS[group]);
    }
  }
  program.addHelpText(
    'after',
    `\nExample:\n  $ npm ci && npm run e2e\n    the standard scenario library end to end (= ichiren run scenarios)\n\nEach command has --help. Docs: README.md and docs/.\n`,
  );
}

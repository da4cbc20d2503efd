// The command table: names, flags, help text. Only metadata lives here so that `--help`, `--version`
// and argument errors never load a command's implementation (and its share of core).
import type { Palette } from './color';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Name of the value in help text, e.g. `DIR`. */
  value?: string;
  description: string;
  choices?: readonly string[];
  /** Shown in help; the command applies it. */
  defaultText?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  choices?: readonly string[];
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colors for text written to stdout / stderr (each checked against its own stream). */
  out: Palette;
  err: Palette;
}

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: Io;
}

export interface CommandModule {
  run(context: CommandContext): Promise<number>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: Record<string, OptionSpec>;
  positionals?: readonly PositionalSpec[];
  examples: readonly string[];
  load(): Promise<CommandModule>;
}

const dirOption: OptionSpec = {
  type: 'string',
  short: 'd',
  value: 'DIR',
  description: 'project directory',
  defaultText: '.',
};

const outputOption: OptionSpec = {
  type: 'string',
  short: 'o',
  value: 'FORMAT',
  description: 'output format',
  choices: ['yaml', 'json'],
  defaultText: 'yaml',
};

const introspectOptions: Record<string, OptionSpec> = {
  'no-introspect': {
    type: 'boolean',
    description: 'do not run `manage introspect`; infer from Cargo.toml and settings/ only',
  },
  'manage-bin': {
    type: 'string',
    value: 'PATH',
    description: 'run this manage binary for `introspect` instead of `cargo run --bin manage`',
  },
  'introspect-timeout': {
    type: 'string',
    value: 'SECONDS',
    description: 'give up on `manage introspect` after this long',
    defaultText: '120, or $REINHARDT_CLOUD_INTROSPECT_TIMEOUT_SECONDS',
  },
};

export const commands: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'Create reinhardt-cloud.toml from what the project already says',
    usage: 'init [--dir DIR] [--force] [--no-introspect]',
    description:
      'Reads Cargo.toml (the reinhardt-web features), settings/*.toml (REINHARDT_ENV profile, default\n' +
      'production) and, when cargo is available, the output of `manage introspect`; prints what it\n' +
      'inferred and why, then writes reinhardt-cloud.toml. An existing file is never overwritten\n' +
      'without --force.',
    options: {
      dir: dirOption,
      force: { type: 'boolean', description: 'overwrite an existing reinhardt-cloud.toml' },
      ...introspectOptions,
    },
    examples: ['reinhardt-cloud init', 'reinhardt-cloud init --dir examples/bookshelf --no-introspect'],
    load: () => import('./commands/init'),
  },
  {
    name: 'sync',
    summary: 'Update reinhardt-cloud.toml after the project changed, keeping your edits',
    usage: 'sync [--dir DIR] [--check] [--no-introspect]',
    description:
      'Re-detects the project and merges the result into the existing reinhardt-cloud.toml. Comments,\n' +
      'key order and values you set by hand are kept. With --check nothing is written: exit 1 and a\n' +
      'summary of the differences when the file is out of date, exit 0 when it is current.',
    options: {
      dir: dirOption,
      check: { type: 'boolean', description: 'only report whether the file is up to date (exit 1 if not)' },
      ...introspectOptions,
    },
    examples: ['reinhardt-cloud sync', 'reinhardt-cloud sync --check   # in CI'],
    load: () => import('./commands/sync'),
  },
  {
    name: 'validate',
    summary: 'Check reinhardt-cloud.toml and list every problem',
    usage: 'validate [--file FILE] [--format text|json]',
    description:
      'Parses and validates the file with the same rules as deploy, the operator and the editor.\n' +
      'Text output is `file:line:col: severity code message`; JSON output carries 0-based LSP ranges.\n' +
      'Exit 0 without errors (warnings allowed), 1 with errors, 2 when the file cannot be read.',
    options: {
      file: {
        type: 'string',
        short: 'f',
        value: 'FILE',
        description: 'file to check',
        defaultText: 'reinhardt-cloud.toml',
      },
      format: {
        type: 'string',
        value: 'FORMAT',
        description: 'output format',
        choices: ['text', 'json'],
        defaultText: 'text',
      },
    },
    examples: [
      'reinhardt-cloud validate',
      'reinhardt-cloud validate --file app/reinhardt-cloud.toml --format json',
    ],
    load: () => import('./commands/validate'),
  },
  {
    name: 'deploy',
    summary: 'Build the Project manifest (--dry-run prints it)',
    usage:
      'deploy --dry-run [--dir DIR] [-o yaml|json] [--name NAME] [--image IMAGE] [--replicas N] [--namespace NS]',
    description:
      'Builds the Project resource (paas.reinhardt-cloud.dev/v1alpha2) from reinhardt-cloud.toml and\n' +
      'the flags, validates it, and with --dry-run prints it on stdout. An invalid file exits 1 with\n' +
      'every problem listed. Applying to a cluster (--direct) and deploying through the dashboard\n' +
      'arrive with the control plane; until then they exit 2.',
    options: {
      'dry-run': { type: 'boolean', description: 'print the manifest and exit' },
      dir: dirOption,
      output: outputOption,
      name: { type: 'string', short: 'n', value: 'NAME', description: 'project name (overrides [app].name)' },
      image: {
        type: 'string',
        short: 'i',
        value: 'IMAGE',
        description: 'container image (overrides [app].image)',
      },
      replicas: {
        type: 'string',
        short: 'r',
        value: 'N',
        description: 'replica count (overrides [replicas].count)',
      },
      namespace: {
        type: 'string',
        value: 'NS',
        description: 'metadata.namespace of the manifest',
        defaultText: 'default',
      },
      'manage-bin': {
        type: 'string',
        value: 'PATH',
        description: 'fill spec.introspect from `PATH introspect --format json` (run in DIR)',
      },
      'introspect-timeout': introspectOptions['introspect-timeout']!,
      direct: { type: 'boolean', description: 'apply with kubectl (not available yet)' },
      cluster: { type: 'string', value: 'NAME', description: 'target cluster (not available yet)' },
    },
    examples: [
      'reinhardt-cloud deploy --dry-run',
      'reinhardt-cloud deploy --dry-run -o json --image ghcr.io/acme/bookshelf:1.2.0 --namespace staging',
    ],
    load: () => import('./commands/deploy'),
  },
  {
    name: 'render',
    summary: 'Print the Kubernetes objects the operator would create',
    usage: 'render [--dir DIR] [-o yaml|json] [--namespace NS] [--platform onpremise|aws|gcp]',
    description:
      "Builds the Project from reinhardt-cloud.toml and runs the operator's own render step on it: the\n" +
      'Deployments, Services, Secrets, migration Job, Ingress... the project will have once its migration\n' +
      'has run. YAML documents separated by `---`, or a JSON `List`; a summary goes to stderr.',
    options: {
      dir: dirOption,
      output: outputOption,
      namespace: {
        type: 'string',
        value: 'NS',
        description: 'namespace of the Project and its objects',
        defaultText: 'default',
      },
      platform: {
        type: 'string',
        value: 'PLATFORM',
        description: "the operator's platform (REINHARDT_CLOUD_PLATFORM): resource defaults, cloud caches",
        choices: ['onpremise', 'aws', 'gcp'],
        defaultText: 'onpremise',
      },
    },
    examples: [
      'reinhardt-cloud render',
      "reinhardt-cloud render -o json | jq '.items[].kind'",
      'reinhardt-cloud render --platform aws',
    ],
    load: () => import('./commands/render'),
  },
  {
    name: 'crd',
    summary: 'Print the Project CustomResourceDefinition (for GitOps)',
    usage: 'crd [-o yaml|json]',
    description:
      'Prints the CustomResourceDefinition `projects.paas.reinhardt-cloud.dev` that the operator serves,\n' +
      'ready to commit next to your other cluster manifests.',
    options: { output: outputOption },
    positionals: [{ name: 'generate', description: 'accepted for compatibility', choices: ['generate'] }],
    examples: ['reinhardt-cloud crd > project-crd.yaml', 'reinhardt-cloud crd -o json'],
    load: () => import('./commands/crd'),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((command) => command.name === name);
}

// Entry point of the `reinhardt-cloud` binary. Startup stays lean: this file imports only the
// command table and the argument parser; each command loads its own implementation on demand.
import { parseCommandArgs } from './args';
import { colorEnabled, palette } from './color';
import { CliError, UsageError } from './errors';
import { commandHelp, mainHelp } from './help';
import { commands, findCommand, type Io } from './spec';
import { closest } from './suggest';

declare const __CLI_VERSION__: string | undefined;
const VERSION = typeof __CLI_VERSION__ === 'string' ? __CLI_VERSION__ : '0.0.0-dev';

const commandNames = [...commands.map((command) => command.name), 'help'];

function unknownCommand(name: string): UsageError {
  const suggestion = closest(name, commandNames);
  return new UsageError(
    `unknown command \`${name}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
  );
}

async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainHelp(VERSION, io.err));
    throw new UsageError('missing command.');
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(mainHelp(VERSION, io.out));
    return 0;
  }
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\` for \`help\`.`);
    if (topic === undefined || topic === '--help' || topic === '-h') {
      io.stdout(mainHelp(VERSION, io.out));
      return 0;
    }
    const command = findCommand(topic);
    if (!command) throw unknownCommand(topic);
    io.stdout(commandHelp(command, io.out));
    return 0;
  }
  if (first.startsWith('-')) {
    const suggestion = closest(first, ['--help', '--version']);
    throw new UsageError(
      `unknown option \`${first}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ' Command options go after the command.'}`,
    );
  }
  const command = findCommand(first);
  if (!command) throw unknownCommand(first);
  const parsed = parseCommandArgs(command, rest);
  if (parsed.help) {
    io.stdout(commandHelp(command, io.out));
    return 0;
  }
  const implementation = await command.load();
  return implementation.run({ values: parsed.values, positionals: parsed.positionals, io });
}

function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    out: palette(colorEnabled(process.stdout)),
    err: palette(colorEnabled(process.stderr)),
  };
}

/** Every failure ends here as `Error: <one line>` (plus hints); stacks only with REINHARDT_CLOUD_DEBUG=1. */
function report(error: unknown, io: Io): number {
  const debug = io.env.REINHARDT_CLOUD_DEBUG === '1';
  if (error instanceof CliError) {
    io.stderr(`${io.err.red('Error:')} ${error.message}\n`);
    for (const line of error.details) io.stderr(`${line}\n`);
    if (debug && error.stack) io.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n', 1)[0] ?? '';
  io.stderr(`${io.err.red('Error:')} unexpected failure: ${firstLine}\n`);
  if (debug) {
    io.stderr(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
  } else {
    io.stderr('Set REINHARDT_CLOUD_DEBUG=1 to see the stack trace, and please report it.\n');
  }
  return 1;
}

async function start(): Promise<void> {
  const io = processIo();
  // A closed pipe (`reinhardt-cloud crd | head`) is not an error worth a message.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let code: number;
  try {
    code = await main(process.argv.slice(2), io);
  } catch (error) {
    code = report(error, io);
  }
  // exitCode instead of exit(): piped stdout is flushed before the process ends.
  process.exitCode = code;
}

void start();

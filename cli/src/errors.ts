// Exit codes are part of the CLI's contract: scripts and CI branch on them.
export const EXIT_OK = 0;
/** The command ran and found a problem (invalid file, out-of-date file, failed detection). */
export const EXIT_FAILURE = 1;
/** The command could not run as asked: bad arguments, unreadable files, unavailable features. */
export const EXIT_USAGE = 2;

/** An expected failure: printed as one `Error: ...` line, never with a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  /** Extra lines printed after the error line (hints, listed problems). */
  readonly details: readonly string[];

  constructor(message: string, options: { exitCode?: number; details?: readonly string[] } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.details = options.details ?? [];
  }
}

/** Wrong command line: exit 2 and point at `--help`. */
export class UsageError extends CliError {
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    const help = command ? `reinhardt-cloud ${command} --help` : 'reinhardt-cloud --help';
    super(message, { exitCode: EXIT_USAGE, details: [`Run \`${help}\` for usage.`] });
    this.name = 'UsageError';
    this.command = command;
  }
}

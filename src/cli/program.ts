/**
 * The `copernica` command line: commander program, global options, and the mapping of errors to
 * one stderr line and an exit code (0 ok, 1 runtime/API error, 2 usage error).
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { CliContext, type CliIO } from './context.js';
import { debugText, errorLine, exitCodeOf } from './errors.js';
import { registerDatabases } from './commands/databases.js';
import { registerEvents } from './commands/events.js';
import { registerFake } from './commands/fake.js';
import { registerIdentity } from './commands/identity.js';
import { registerLogfiles } from './commands/logfiles.js';
import { registerLogin } from './commands/login.js';
import { registerProfiles } from './commands/profiles.js';
import { registerRequest } from './commands/request.js';

const ENVIRONMENT = `
Environment:
  COPERNICA_ACCESS_TOKEN  access token (overrides the config file)
  COPERNICA_BASE_URL      API base URL (like --base-url)
  COPERNICA_CONFIG        config file (or directory) instead of $XDG_CONFIG_HOME/copernica/config.json

Exit codes: 0 ok, 1 runtime or API error, 2 usage error.`;

/** Builds the program. Exposed for tests; `run()` is the entry. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('copernica');
  program
    .description('Command line for the Copernica Marketing Software REST API v1 (copernica-rest).')
    .version(VERSION, '-V, --version')
    .option('--base-url <url>', 'API base URL (default: $COPERNICA_BASE_URL, the config file, or https://api.copernica.com/v1)')
    .option('--debug', 'print the stack of an error')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
      // Errors are printed once, in our one-line format, by run().
      outputError: () => undefined,
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', ENVIRONMENT)
    // Only commander and the command definitions load at start: `--help` and usage errors never
    // load the SDK; a command loads it (and what else it needs) just before its action runs.
    .hook('preAction', () => ctx.prepare());
  ctx.setProgram(program);
  registerLogin(program, ctx);
  registerIdentity(program, ctx);
  registerDatabases(program, ctx);
  registerProfiles(program, ctx);
  registerLogfiles(program, ctx);
  registerEvents(program, ctx);
  registerRequest(program, ctx);
  registerFake(program, ctx);
  return program;
}

/** Runs the CLI with `args` (without `node` and the script) and resolves with the exit code. */
export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === 0) return 0;
    const secrets = [...ctx.secrets, ...[io.env.COPERNICA_ACCESS_TOKEN, io.env.COPERNICA_CLIENT_SECRET].filter((s): s is string => !!s)];
    if (error instanceof CommanderError && error.code === 'commander.help') {
      ctx.stderr.write('copernica: UsageError: a subcommand is required (see the help above)\n');
    } else {
      ctx.stderr.write(`${errorLine(error, secrets)}\n`);
    }
    if (args.includes('--debug') && !(error instanceof CommanderError)) ctx.stderr.write(`${debugText(error, secrets)}\n`);
    return code;
  }
}

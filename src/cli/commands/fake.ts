/**
 * `copernica fake`: starts the fake Copernica server. Its options, start-up and banner are those of
 * `copernica-fake` (src/testing/standalone.ts); the fake itself is loaded only when this runs.
 */
import { Option, type Command } from 'commander';
import {
  STANDALONE_OPTIONS,
  StandaloneOptionError,
  type StandaloneSettings,
  standaloneBanner,
  standaloneJson,
  standaloneSettings,
  startStandalone,
} from '../../testing/standalone.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { write } from '../output.js';

export function registerFake(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('fake')
    .description(
      'start a fake Copernica server for trying the CLI and the SDK without an account (prints its URLs and FAKE tokens; Ctrl-C stops it)',
    );
  for (const o of STANDALONE_OPTIONS) {
    const option = new Option(`--${o.name}${o.value ? ` ${o.value}` : ''}`, o.description);
    if (o.choices) option.choices(o.choices);
    if (o.default !== undefined) option.default(o.default);
    cmd.addOption(option);
  }
  cmd.action(async (opts: Record<string, unknown>) => {
    let settings: StandaloneSettings;
    try {
      settings = standaloneSettings(opts);
    } catch (error) {
      if (error instanceof StandaloneOptionError) throw new UsageError(error.message);
      throw error;
    }
    // Listen for Ctrl-C before starting, so a signal right after the output still stops cleanly.
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    const running = await startStandalone(settings);
    await write(ctx.stdout, settings.json ? `${standaloneJson(running)}\n` : standaloneBanner(running, settings));
    await stopped;
    await running.fake.close();
  });
}

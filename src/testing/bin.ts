#!/usr/bin/env node
/**
 * `copernica-fake --port 4567 --seed 1 --profiles 1000`: start the fake and print its URLs and
 * tokens. Same options, start-up and banner as `copernica fake` (see standalone.ts).
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import {
  STANDALONE_OPTIONS,
  StandaloneOptionError,
  standaloneBanner,
  standaloneJson,
  standaloneSettings,
  startStandalone,
} from './standalone.js';

const HELP = `Usage: copernica-fake [options]

Starts a fake Copernica REST API v1 server and prints its URLs, tokens and OAuth demo credentials.
Stops on Ctrl-C (SIGINT) or SIGTERM. The same as \`copernica fake\`.

Options:
${STANDALONE_OPTIONS.map((o) => {
  const head = `  --${o.name}${o.value ? ` ${o.value}` : ''}`;
  const extra = o.choices ? ` (${o.choices.join('|')})` : '';
  return `${head.padEnd(24)}${o.description}${extra}${o.default !== undefined ? ` (default ${o.default})` : ''}`;
}).join('\n')}
  -h, --help              this help`;

async function main(): Promise<void> {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
  // No defaults here: standaloneSettings fills them, and can tell --mailings from its default.
  for (const o of STANDALONE_OPTIONS) options[o.name] = { type: o.value ? 'string' : 'boolean' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new StandaloneOptionError(`${(error as Error).message}\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const settings = standaloneSettings(values);
  const running = await startStandalone(settings);
  process.stdout.write(settings.json ? `${standaloneJson(running)}\n` : standaloneBanner(running, settings));
  const stop = (): void => {
    running.fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`copernica-fake: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof StandaloneOptionError ? 2 : 1);
});

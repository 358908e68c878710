/** `copernica logfiles list|names|download|records`. */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { pickFormat, positiveInt, printItems, write, type OutputFormat } from '../output.js';
import { formatOptions } from './shared.js';

const LIST_FORMATS: readonly OutputFormat[] = ['table', 'json', 'ndjson'];

export function registerLogfiles(program: Command, ctx: CliContext): void {
  const logfiles = program.command('logfiles').description('daily mail-server logfiles');

  const list = logfiles
    .command('list')
    .description('the dates (YYYY-MM-DD) that have logfiles (GET /logfiles)')
    .addHelpText('after', '\nJSON: an array of date strings. Table: one date per line.');
  formatOptions(list, LIST_FORMATS, 'table').action(async (opts: { format?: string; json?: boolean }) => {
    const format = pickFormat(opts, LIST_FORMATS, 'table');
    const dates = await ctx.client().logfiles.dates();
    await printStrings(ctx, dates, format);
  });

  const names = logfiles
    .command('names')
    .description('the logfile names of one date (GET /logfiles/{date})')
    .argument('<date>', 'YYYY-MM-DD')
    .addHelpText('after', '\nJSON: an array of file names. Table: one name per line.');
  formatOptions(names, LIST_FORMATS, 'table').action(async (date: string, opts: { format?: string; json?: boolean }) => {
    const format = pickFormat(opts, LIST_FORMATS, 'table');
    await printStrings(ctx, await ctx.client().logfiles.names(date), format);
  });

  logfiles
    .command('download')
    .description('download one logfile as the server writes it, streamed (GET /logfiles/{name}[/header|/json|/xml])')
    .argument('<name>', 'logfile name, e.g. cdm-click.2024-03-01.log')
    .addOption(
      new Option('--format <format>', 'csv (no header row), csv-header, json or xml')
        .choices(['csv', 'csv-header', 'json', 'xml'])
        .default('csv'),
    )
    .option('--output <file>', 'write to this file (as <file>.partial, renamed when complete) instead of stdout')
    .action(async (name: string, opts: { format: 'csv' | 'csv-header' | 'json' | 'xml'; output?: string }) => {
      const body = await ctx.client().logfiles.download(name, { format: opts.format });
      if (opts.output === undefined) {
        await pipeline(body, ctx.stdout, { end: false });
        return;
      }
      const partial = `${opts.output}.partial`;
      try {
        await pipeline(body, createWriteStream(partial));
        renameSync(partial, opts.output);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    });

  logfiles
    .command('records')
    .description('the rows of one logfile as NDJSON, typed (numbers for IDs and counts, null for empty cells), parsed while downloading')
    .argument('<name>', 'logfile name, e.g. cdm-click.2024-03-01.log')
    .addOption(new Option('--from <format>', 'representation to download and parse').choices(['csv', 'json', 'xml']).default('csv'))
    .option('--limit <n>', 'stop after this many rows')
    .addHelpText('after', '\nNDJSON: one row object per line, keyed by column name (see the LogfileRow types of the SDK).')
    .action(async (name: string, opts: { from: 'csv' | 'json' | 'xml'; limit?: string }) => {
      const limit = positiveInt('--limit', opts.limit);
      const records = ctx.client().logfiles.records(name, { format: opts.from });
      async function* capped() {
        let n = 0;
        if (limit === 0) return;
        for await (const row of records) {
          yield row;
          if (limit !== undefined && ++n >= limit) return;
        }
      }
      await printItems(ctx.stdout, capped(), 'ndjson');
    });
}

async function printStrings(ctx: CliContext, values: readonly string[], format: OutputFormat): Promise<void> {
  if (format === 'table') {
    await write(ctx.stdout, values.map((v) => `${v}\n`).join(''));
    return;
  }
  await printItems(ctx.stdout, values, format);
}

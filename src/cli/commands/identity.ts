/** `copernica identity`: the account of the token. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { OUTPUT_FORMATS, pickFormat, printObject } from '../output.js';
import { formatOptions } from './shared.js';

export function registerIdentity(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('identity')
    .description('show the account the access token belongs to (GET /identity)')
    .addHelpText('after', '\nJSON: {"ID": number, "name": string, "description": string, "company": string}');
  formatOptions(cmd, OUTPUT_FORMATS, 'table').action(async (opts: { format?: string; json?: boolean }) => {
    const format = pickFormat(opts, OUTPUT_FORMATS, 'table');
    const me = await ctx.client().identity.get();
    await printObject(ctx.stdout, { ...me }, format);
  });
}

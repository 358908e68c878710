/** `copernica events profile|subprofile|email|message|template|old-template|old-message|old-document|tags <id>`. */
import type { Command } from 'commander';
import type { Copernica } from '../../client.js';
import type { Id } from '../../core/path.js';
import type { EventFilterParams, EventStream } from '../../resources/events.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { OUTPUT_FORMATS, pickFormat, positiveInt, printItems } from '../output.js';
import { collect, formatOptions } from './shared.js';

interface Kind {
  name: string;
  arg: string;
  description: string;
  /** Whether the endpoint's page documents a `tags` filter. */
  tags: boolean;
  open: (client: Copernica, id: string, params: EventFilterParams) => EventStream;
}

// A command-line ID is a string; the SDK checks it (a ValidationError) before sending, so `as Id` hands it on as typed.
const KINDS: Kind[] = [
  {
    name: 'profile',
    arg: '<profileId>',
    description: 'events of one profile (GET /profile/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.byProfile(id as Id, p),
  },
  {
    name: 'subprofile',
    arg: '<subprofileId>',
    description: 'events of one subprofile (GET /subprofile/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.bySubprofile(id as Id, p),
  },
  {
    name: 'email',
    arg: '<address>',
    description: 'events of one e-mail address (GET /email/{address}/events)',
    tags: true,
    open: (c, id, p) => c.events.byEmail(id, p),
  },
  {
    name: 'message',
    arg: '<messageId>',
    description: 'events of one Marketing Suite message (GET /message/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.byMessage(id, p),
  },
  {
    name: 'template',
    arg: '<templateId>',
    description: 'events of one Marketing Suite template (GET /template/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.byTemplate(id as Id, p),
  },
  {
    name: 'old-template',
    arg: '<templateId>',
    description: 'events of one Publisher template (GET /old/template/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.byOldTemplate(id as Id, p),
  },
  {
    name: 'old-message',
    arg: '<messageId>',
    description: 'events of one Publisher message (GET /old/message/{id}/events; no --tags)',
    tags: false,
    open: (c, id, p) => c.events.byOldMessage(id, p),
  },
  {
    name: 'old-document',
    arg: '<documentId>',
    description: 'events of one Publisher document (GET /old/document/{id}/events)',
    tags: true,
    open: (c, id, p) => c.events.byOldDocument(id as Id, p),
  },
  {
    name: 'tags',
    arg: '<tags>',
    description: 'events of mails carrying all these tags, comma-separated (GET /tags/{tags}/events; no --tags)',
    tags: false,
    open: (c, id, p) =>
      c.events.byTags(
        id.split(',').map((t) => t.trim()),
        p,
      ),
  },
];

interface EventOpts {
  start?: string;
  end?: string;
  tags?: string[];
  format?: string;
  json?: boolean;
  limit?: string;
}

export function registerEvents(program: Command, ctx: CliContext): void {
  const events = program
    .command('events')
    .description('events (deliveries, opens, clicks, bounces, …) by profile, address, message, template, document or tags');
  for (const kind of KINDS) {
    const cmd = events
      .command(kind.name)
      .description(kind.description)
      .argument(kind.arg)
      .option('--start <date>', 'first day, YYYY-MM-DD (UTC, inclusive)')
      .option('--end <date>', 'day after the last one, YYYY-MM-DD (UTC, exclusive); windows over a month are fetched month by month')
      .option('--limit <n>', 'stop after this many events')
      .addHelpText('after', '\nNDJSON/JSON: event objects as the SDK types them: {"event": "delivery"|"open"|"click"|…, "time", …}.');
    if (kind.tags) cmd.option('--tags <tag>', 'only mails carrying this tag (repeatable; all must match)', collect);
    formatOptions(cmd, OUTPUT_FORMATS, 'ndjson').action(async (id: string, opts: EventOpts) => {
      const format = pickFormat(opts, OUTPUT_FORMATS, 'ndjson');
      const limit = positiveInt('--limit', opts.limit);
      const params: EventFilterParams = {};
      if (opts.start !== undefined) params.start = opts.start;
      if (opts.end !== undefined) params.end = opts.end;
      if (opts.tags !== undefined) {
        if (!kind.tags) throw new UsageError(`events ${kind.name} takes no --tags`);
        params.tags = opts.tags;
      }
      const stream = kind.open(ctx.client(), id, params);
      async function* capped() {
        let n = 0;
        for await (const e of stream) {
          yield e;
          if (limit !== undefined && ++n >= limit) return;
        }
      }
      await printItems(ctx.stdout, capped(), format);
    });
  }
}

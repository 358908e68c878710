/**
 * Sync a shop's customers (and their orders) into Copernica, then read back what changed there.
 *
 *   COPERNICA_ACCESS_TOKEN=… npm run example -- examples/sync-shop-customers.ts --database 12 --orders 33 customers.ndjson
 *
 * `customers.ndjson` holds one customer per line, keyed on the shop's own ID:
 * `{"customerId":"C1","firstname":"Anna","email":"anna@example.com","orders":[{"ordernumber":"A-1","amount":"19.95","status":"paid"}]}`.
 * Each customer becomes one profile (found by `customerId`, created when missing, updated only
 * where a value really changes); each order one subprofile of collection `--orders`, matched by its
 * `ordernumber` within the profile. Progress is kept in `sync-checkpoint.json`: a run that died
 * resumes after the last finished customer. Afterwards the profiles changed in Copernica since the
 * previous run (by anyone) are printed, and the cursor is kept in `changes-cursor.txt`.
 * `COPERNICA_BASE_URL` points the script elsewhere (e.g. the fake server of `copernica-fake`).
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  Copernica,
  FileCheckpoint,
  isCopernicaError,
  type Profile,
  type SyncOutcome,
  type SyncRecord,
  type SyncSummary,
} from 'copernica-rest';

/** The fields of a customer profile this shop syncs. */
export type Customer = { customerId: string; firstname: string; lastname: string; email: string; country: string };
/** The fields of an order subprofile. */
export type Order = { ordernumber: string; amount: string; status: string };
/** One line of the shop's export. */
export type ShopCustomer = SyncRecord<Customer, { orders: Order }>;

/** Options of {@link main}. */
export interface SyncShopOptions {
  /** Database ID of the customers. */
  database: number;
  /** Collection ID of the orders. */
  orders: number;
  /** The customers: an NDJSON file, or any (async) iterable of records (e.g. pages of the shop's API). */
  customers: string | Iterable<ShopCustomer> | AsyncIterable<ShopCustomer>;
  /** Checkpoint file. Default `sync-checkpoint.json`. */
  checkpointFile?: string;
  /** Cursor file of the changes read back. Default `changes-cursor.txt`. */
  cursorFile?: string;
  /** Report what would change, write nothing. */
  dryRun?: boolean;
  /** Default: `COPERNICA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Default: `COPERNICA_BASE_URL`, else the real API. */
  baseUrl?: string;
}

/** What {@link main} did. */
export interface SyncShopResult {
  summary: SyncSummary;
  /** Customers that failed, with the reason. */
  failures: { index: number; customerId: string; reason: string }[];
  /** Profiles changed in Copernica since the previous run (this run's own writes included). */
  changed: Profile<Customer>[];
}

async function* ndjson(file: string): AsyncGenerator<ShopCustomer> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim() !== '') yield JSON.parse(line) as ShopCustomer;
  }
}

/**
 * Syncs the customers, then reads back what changed.
 *
 * @example
 * const { summary } = await main({ database: 12, orders: 33, customers: 'customers.ndjson' });
 * console.log(summary.created, summary.updated, summary.unchanged);
 */
export async function main(opts: SyncShopOptions): Promise<SyncShopResult> {
  const accessToken = opts.accessToken ?? process.env.COPERNICA_ACCESS_TOKEN;
  if (!accessToken) throw new Error('Set COPERNICA_ACCESS_TOKEN (or pass accessToken)');
  const baseUrl = opts.baseUrl ?? process.env.COPERNICA_BASE_URL;
  const client = new Copernica({ accessToken, ...(baseUrl ? { baseUrl } : {}) });
  const source = typeof opts.customers === 'string' ? ndjson(opts.customers) : opts.customers;

  // No pool to write: the sync bounds its own concurrency, compares field by field, and upserts by key.
  const run = client.profiles.sync<Customer, { orders: Order }>(opts.database, source, {
    key: 'customerId',
    concurrency: 8,
    preserve: ['email'], // an address changed in Copernica (e.g. by the customer) is not overwritten
    subprofiles: { orders: { collection: opts.orders, key: 'ordernumber' } },
    checkpoint: new FileCheckpoint(opts.checkpointFile ?? 'sync-checkpoint.json'),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  const failures: SyncShopResult['failures'] = [];
  for await (const outcome of run as AsyncIterable<SyncOutcome<Customer>>) {
    if (outcome.status === 'failed') failures.push({ index: outcome.index, customerId: outcome.key, reason: outcome.error.message });
  }
  const summary = await run.summary();

  // Changes out: everything modified since the previous run, each profile once.
  const cursorFile = opts.cursorFile ?? 'changes-cursor.txt';
  const since = existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8').trim() : undefined;
  const changes = client.profiles.changes<Customer>(opts.database, since ? { since } : {});
  const changed: Profile<Customer>[] = [];
  for await (const p of changes) changed.push(p);
  writeFileSync(cursorFile, `${changes.cursor}\n`);
  return { summary, failures, changed };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    options: { database: { type: 'string' }, orders: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    allowPositionals: true,
  });
  if (!values.database || !/^\d+$/.test(values.database) || !values.orders || !/^\d+$/.test(values.orders) || positionals.length !== 1) {
    console.error(
      'usage: npm run example -- examples/sync-shop-customers.ts --database <id> --orders <collection id> [--dry-run] <customers.ndjson>',
    );
    process.exit(2);
  }
  main({
    database: Number(values.database),
    orders: Number(values.orders),
    customers: positionals[0]!,
    dryRun: values['dry-run'] ?? false,
  }).then(
    ({ summary, failures, changed }) => {
      console.log(
        `created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped}, failed ${summary.failed}`,
      );
      for (const f of failures) console.log(`  customer ${f.customerId} (record ${f.index}): ${f.reason}`);
      console.log(`${changed.length} profiles changed in Copernica since the previous run`);
    },
    (error: unknown) => {
      console.error(isCopernicaError(error) || error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}

/**
 * State of the fake: accounts, databases, collections, (sub)profiles, views, rules, miniviews.
 *
 * Memory: seeded profiles are not stored. A database seeded with N profiles owns a contiguous ID
 * range, keeps the live IDs in one ascending number array, and generates a seeded profile's values
 * on read from a hash of (seed, profile ID, field slot). A profile becomes a stored record
 * ({@link ProfileRec}) only when it is written, created through the API or removed.
 */
import { randomBytes } from 'node:crypto';
import type { FakeAccountContext, FakeMailingTarget, FakeRecipient } from './contract.js';
import { FakeApiError } from './contract.js';
import { coerceValue, FieldSet, unsetValue, type FieldDef } from './fields.js';
import { EqualityIndexes } from './query.js';
import { miniviewMembers, viewMembers } from './selection.js';
import { fmtDate, hash3, mulberry32, nowSeconds, setOwn, sortedInsert, sortedRemove } from './util.js';

export { indexOfSorted } from './util.js';

export interface ProfileRec {
  id: number;
  secret: string;
  created: number;
  modified: number;
  /** Values by field slot; `undefined` means the field's default. */
  values: (string | undefined)[];
  interests: Set<number>;
  /** Epoch seconds of removal, 0 while live. */
  removed: number;
}

export interface SubprofileRec extends ProfileRec {
  profile: number;
}

export interface InterestDef {
  id: number;
  name: string;
  group: string;
}

export interface UnsubscribeBehavior {
  behavior: 'nothing' | 'remove' | 'update';
  fields: Record<string, string>;
}

export interface ConditionDef {
  id: number;
  type: string;
  /** Type-specific properties, as sent (minus `type`, `id`, `rule`). */
  props: Record<string, unknown>;
}

export interface RuleDef {
  id: number;
  kind: 'rule' | 'minirule';
  /** Owning view or miniview ID. */
  owner: number;
  name: string;
  description: string;
  inverted: boolean;
  disabled: boolean;
  conditions: ConditionDef[];
}

export interface ViewDef {
  id: number;
  name: string;
  description: string;
  database: Database;
  parentType: 'database' | 'view';
  parentId: number;
  rules: RuleDef[];
  lastBuilt: number;
}

export interface MiniviewDef {
  id: number;
  name: string;
  description: string;
  collection: Collection;
  parentType: 'collection' | 'miniview';
  parentId: number;
  rules: RuleDef[];
}

/** What filters, sorting and rule evaluation need from a database or a collection. */
export interface RecordContainer {
  readonly kind: 'database' | 'collection';
  readonly id: number;
  readonly fields: FieldSet;
  /** Live record IDs, ascending. */
  readonly ids: number[];
  value(id: number, f: FieldDef): string;
  secretOf(id: number): string;
  modifiedOf(id: number): number;
  /** Equality indexes for `fields[]=name==value`; every write to a live record goes through {@link EqualityIndexes.remove} and {@link EqualityIndexes.add}. */
  readonly eq: EqualityIndexes;
}

export function randomSecret(): string {
  return randomBytes(14).toString('hex');
}

const secretBytes = Buffer.alloc(16);

/** 28 hex digits from four hashes (big-endian, as `toString(16).padStart(8, '0')` wrote them). */
function seededSecret(seed: number, id: number): string {
  for (let i = 0; i < 4; i++) secretBytes.writeUInt32BE(hash3(seed, id, 0x5ec + i), i * 4);
  return secretBytes.toString('hex', 0, 14);
}

/** The largest key of a record map, at least `floor` (a loop: a spread of a million keys overflows the stack). */
function maxKey(recs: Map<number, unknown>, floor: number): number {
  let max = floor;
  for (const id of recs.keys()) if (id > max) max = id;
  return max;
}

const SEED_EPOCH = 1577836800; // 2020-01-01 00:00:00

interface SeededEntry {
  id: number;
  seed: number;
  values: (string | undefined)[];
  secret?: string;
  dates?: { created: string; modified: string };
}

/**
 * The generated values of the most recently read seeded records. A seeded value is a pure function
 * of (seed, record ID, field slot), so nothing here ever goes stale (a written record is stored in
 * `recs` and read from there first); the cache only saves regenerating a page that is read again
 * (tests, benchmarks, a client polling). Direct-mapped by ID: bounded at 4,096 records (~3 MB).
 */
class SeededCache {
  static readonly SIZE = 4096;
  readonly #entries: (SeededEntry | undefined)[] = new Array(SeededCache.SIZE);

  entry(id: number, seed: number): SeededEntry {
    const k = id & (SeededCache.SIZE - 1);
    let e = this.#entries[k];
    if (e === undefined || e.id !== id || e.seed !== seed) {
      e = { id, seed, values: [] };
      this.#entries[k] = e;
    }
    return e;
  }
}

export class Database implements RecordContainer {
  readonly kind = 'database' as const;
  readonly fields: FieldSet = new FieldSet(() => maxKey(this.recs, this.seedHi) + 1);
  readonly interests: InterestDef[] = [];
  readonly collections: Collection[] = [];
  unsubscribe: UnsubscribeBehavior = { behavior: 'nothing', fields: {} };
  readonly ids: number[] = [];
  readonly recs = new Map<number, ProfileRec>();
  readonly eq: EqualityIndexes = new EqualityIndexes(this);
  /** Seeded ID range [seedLo, seedHi]; empty when seedHi < seedLo. */
  seedLo = 1;
  seedHi = 0;
  seed = 0;
  /** Interests that seeded profiles may carry. */
  seedInterests: number[] = [];

  constructor(
    readonly id: number,
    public name: string,
    public description: string,
    public archived: boolean,
    readonly created: number,
  ) {}

  isSeeded(id: number): boolean {
    return id >= this.seedLo && id <= this.seedHi;
  }

  /** Known to this database (live or removed). */
  has(id: number): boolean {
    return this.recs.has(id) || this.isSeeded(id);
  }

  isLive(id: number): boolean {
    const r = this.recs.get(id);
    return r ? r.removed === 0 : this.isSeeded(id);
  }

  value(id: number, f: FieldDef): string {
    const r = this.recs.get(id);
    if (r) return r.removed ? '' : (r.values[f.slot] ?? unsetValue(f, id));
    if (f.gen && this.isSeeded(id)) {
      const e = this.#seeded.entry(id, this.seed);
      return (e.values[f.slot] ??= f.gen(hash3(this.seed, id, f.slot), id));
    }
    return unsetValue(f, id);
  }

  secretOf(id: number): string {
    const r = this.recs.get(id);
    if (r) return r.secret;
    const e = this.#seeded.entry(id, this.seed);
    return (e.secret ??= seededSecret(this.seed, id));
  }

  /** `created` and `modified` as the API writes them (Amsterdam time). */
  datesText(id: number): { created: string; modified: string } {
    if (this.recs.has(id) || !this.isSeeded(id)) return { created: fmtDate(this.createdOf(id)), modified: fmtDate(this.modifiedOf(id)) };
    const e = this.#seeded.entry(id, this.seed);
    return (e.dates ??= { created: fmtDate(this.createdOf(id)), modified: fmtDate(this.modifiedOf(id)) });
  }

  readonly #seeded = new SeededCache();

  createdOf(id: number): number {
    return this.recs.get(id)?.created ?? SEED_EPOCH + (hash3(this.seed, id, 0xc0) % (3 * 365 * 86400));
  }

  modifiedOf(id: number): number {
    return this.recs.get(id)?.modified ?? this.createdOf(id) + (hash3(this.seed, id, 0xd0) % (365 * 86400));
  }

  interestsOf(id: number): Set<number> {
    const r = this.recs.get(id);
    if (r) return r.interests;
    const set = new Set<number>();
    if (this.isSeeded(id)) {
      this.seedInterests.forEach((iid, i) => {
        if (hash3(this.seed, id, 0x1000 + i) % 3 === 0) set.add(iid);
      });
    }
    return set;
  }

  /** The stored record of a profile, creating it from the generator when needed. */
  materialise(id: number): ProfileRec {
    let r = this.recs.get(id);
    if (r) return r;
    const values: (string | undefined)[] = [];
    for (const f of this.fields.list) values[f.slot] = this.value(id, f);
    r = {
      id,
      secret: this.secretOf(id),
      created: this.createdOf(id),
      modified: this.modifiedOf(id),
      values,
      interests: new Set(this.interestsOf(id)),
      removed: 0,
    };
    this.recs.set(id, r);
    return r;
  }

  interestByRef(ref: string): InterestDef | undefined {
    const lower = ref.toLowerCase();
    return this.interests.find((i) => String(i.id) === ref || i.name.toLowerCase() === lower);
  }
}

export class Collection implements RecordContainer {
  readonly kind = 'collection' as const;
  readonly fields: FieldSet = new FieldSet(() => maxKey(this.recs, 0) + 1);
  unsubscribe: UnsubscribeBehavior = { behavior: 'nothing', fields: {} };
  readonly ids: number[] = [];
  readonly recs = new Map<number, SubprofileRec>();
  readonly eq: EqualityIndexes = new EqualityIndexes(this);

  constructor(
    readonly id: number,
    public name: string,
    readonly database: Database,
  ) {}

  value(id: number, f: FieldDef): string {
    const r = this.recs.get(id);
    if (!r || r.removed) return '';
    return r.values[f.slot] ?? unsetValue(f, id);
  }

  secretOf(id: number): string {
    return this.recs.get(id)?.secret ?? '';
  }

  modifiedOf(id: number): number {
    return this.recs.get(id)?.modified ?? 0;
  }
}

export type IdKind =
  | 'account'
  | 'database'
  | 'field'
  | 'interest'
  | 'collection'
  | 'view'
  | 'rule'
  | 'condition'
  | 'miniview'
  | 'minirule'
  | 'profile'
  | 'subprofile';

/** ID counters shared by all accounts, so every ID is unique in the whole fake. */
export class Store {
  /** Every account by ID: the three seeded ones and those of {@link Store.addAccount}. */
  readonly accounts = new Map<number, Account>();
  /** Seeded PRNG for `orderby=random` and probabilistic faults. */
  random: () => number = mulberry32(1);
  private readonly counters = new Map<IdKind, number>();

  /** @internal The next ID of a kind. */
  next(kind: IdKind): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  /** @internal Reserve `count` consecutive IDs; returns the first. */
  reserve(kind: IdKind, count: number): number {
    const first = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, first + count - 1);
    return first;
  }

  /**
   * Add an empty account (no databases) with the next account ID. `fake.issueToken(account.id)`
   * gives a token for it; `GET /identity` then shows `name`, `description` and `company`.
   */
  addAccount(name: string, description = '', company = ''): Account {
    const a = new Account(this, this.next('account'), name, description, company);
    this.accounts.set(a.id, a);
    return a;
  }
}

/** Apply a flat name → value body to a record's value array: unknown names dropped, names case-insensitive. */
export function applyValues(fields: FieldSet, values: (string | undefined)[], body: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(body)) {
    const f = fields.byName(k);
    if (f) values[f.slot] = coerceValue(f, v);
  }
}

/**
 * The coerced values of a write that differ from what a record reads now, by slot (unknown names
 * dropped, names case-insensitive), and whether the body named any known field at all.
 */
export function changedValues(
  fields: FieldSet,
  current: (f: FieldDef) => string,
  body: Record<string, unknown>,
): { changes: Map<number, string>; named: boolean } {
  const changes = new Map<number, string>();
  let named = false;
  for (const [k, v] of Object.entries(body)) {
    const f = fields.byName(k);
    if (!f) continue;
    named = true;
    const next = coerceValue(f, v);
    if (next !== current(f)) changes.set(f.slot, next);
    else changes.delete(f.slot); // a later spelling of the same field writes it back
  }
  return { changes, named };
}

/**
 * One account of the fake: its databases (with their profiles, collections and subprofiles),
 * views and miniviews, as {@link FakeCopernica.account} returns it. Read it in tests, e.g.
 * `fake.account().databases.get(1)!.ids.length` counts the live profiles of database 1.
 */
export class Account implements FakeAccountContext {
  campaignState: unknown = undefined;
  /** The account's databases by ID. Each has `id`, `name`, `ids` (live profile IDs, ascending) and `collections`. */
  readonly databases = new Map<number, Database>();
  /** @internal Every collection of the account by ID. */
  readonly collections = new Map<number, Collection>();
  /** @internal */
  readonly views = new Map<number, ViewDef>();
  /** @internal */
  readonly rules = new Map<number, RuleDef>();
  /** @internal */
  readonly miniviews = new Map<number, MiniviewDef>();
  /** @internal */
  readonly minirules = new Map<number, RuleDef>();
  /** Owner of every profile created through the API (seeded ones are found by range). */
  readonly profileOwner = new Map<number, Database>();
  /** @internal Collection of every subprofile. */
  readonly subOwner = new Map<number, Collection>();
  /** @internal Subprofile IDs of every profile that has subprofiles. */
  readonly subsByProfile = new Map<number, number[]>();

  constructor(
    /** @internal The store holding this account. */
    readonly store: Store,
    readonly id: number,
    readonly name: string,
    /** Account description, as `GET /identity` shows it. */
    public description: string,
    /** The paying company, as `GET /identity` shows it. */
    public company: string,
  ) {}

  // ---- lookups ---------------------------------------------------------------------------

  /** Database by ID, or by name case-insensitively. */
  findDatabase(ref: string): Database | undefined {
    if (/^\d+$/.test(ref)) {
      const d = this.databases.get(Number(ref));
      if (d) return d;
    }
    const lower = ref.toLowerCase();
    for (const d of this.databases.values()) if (d.name.toLowerCase() === lower) return d;
    return undefined;
  }

  /** @internal */
  findCollection(ref: string): Collection | undefined {
    if (/^\d+$/.test(ref)) {
      const c = this.collections.get(Number(ref));
      if (c) return c;
    }
    const lower = ref.toLowerCase();
    for (const c of this.collections.values()) if (c.name.toLowerCase() === lower) return c;
    return undefined;
  }

  /** The database holding a profile (live or removed). */
  databaseOf(profileId: number): Database | undefined {
    const d = this.profileOwner.get(profileId);
    if (d) return d;
    for (const db of this.databases.values()) if (db.isSeeded(profileId)) return db;
    return undefined;
  }

  // ---- profiles --------------------------------------------------------------------------

  /** @internal */
  createProfile(db: Database, body: Record<string, unknown>): ProfileRec {
    const id = this.store.next('profile');
    const now = nowSeconds();
    const values: (string | undefined)[] = [];
    applyValues(db.fields, values, body);
    const r: ProfileRec = { id, secret: randomSecret(), created: now, modified: now, values, interests: new Set(), removed: 0 };
    db.recs.set(id, r);
    sortedInsert(db.ids, id);
    this.profileOwner.set(id, db);
    db.eq.add(id);
    return r;
  }

  /**
   * @internal Write field values (spec/OBSERVED.md "`modified` and other timestamps"): `modified`
   * moves only when a stored value really changes after coercion, so an equal value, unknown names
   * or an empty body leave it alone. A removed profile keeps reading `""`, but every write that names
   * a known field moves its `modified` (a live quirk, reported upstream as a bug). Returns whether
   * `modified` moved. `now` lets a bulk write stamp every profile with the same second.
   */
  updateProfile(db: Database, id: number, body: Record<string, unknown>, now = nowSeconds()): boolean {
    const r = db.recs.get(id);
    if (r?.removed) {
      if (!changedValues(db.fields, () => '', body).named) return false;
      r.modified = now;
      return true;
    }
    const { changes } = changedValues(db.fields, (f) => db.value(id, f), body);
    if (changes.size === 0) return false;
    const rec = db.materialise(id);
    db.eq.remove(id);
    for (const [slot, v] of changes) rec.values[slot] = v;
    db.eq.add(id);
    rec.modified = now;
    return true;
  }

  /**
   * @internal Soft delete: `removed` is set, `created`, `modified`, `secret` and the interests are
   * kept; each subprofile of the profile is removed with the same `removed` time and keeps its
   * `modified`.
   */
  removeProfile(db: Database, id: number): void {
    const r = db.materialise(id);
    const now = nowSeconds();
    if (!r.removed) db.eq.remove(id);
    r.removed = now;
    sortedRemove(db.ids, id);
    for (const sid of this.subsByProfile.get(id) ?? []) {
      const c = this.subOwner.get(sid);
      const s = c?.recs.get(sid);
      if (c && s && !s.removed) this.removeSubprofile(c, sid, now);
    }
  }

  // ---- subprofiles -----------------------------------------------------------------------

  /** @internal */
  createSubprofile(c: Collection, profileId: number, body: Record<string, unknown>, when = nowSeconds()): SubprofileRec {
    const id = this.store.next('subprofile');
    const values: (string | undefined)[] = [];
    applyValues(c.fields, values, body);
    const r: SubprofileRec = {
      id,
      profile: profileId,
      secret: randomSecret(),
      created: when,
      modified: when,
      values,
      interests: new Set(),
      removed: 0,
    };
    c.recs.set(id, r);
    sortedInsert(c.ids, id);
    this.subOwner.set(id, c);
    c.eq.add(id);
    const list = this.subsByProfile.get(profileId);
    if (list) list.push(id);
    else this.subsByProfile.set(profileId, [id]);
    return r;
  }

  /** @internal Write field values of a subprofile; `modified` as in {@link Account.updateProfile}. */
  updateSubprofile(c: Collection, id: number, body: Record<string, unknown>, now = nowSeconds()): boolean {
    const r = c.recs.get(id);
    if (!r) return false;
    if (r.removed) {
      if (!changedValues(c.fields, () => '', body).named) return false;
      r.modified = now;
      return true;
    }
    const { changes } = changedValues(c.fields, (f) => c.value(id, f), body);
    if (changes.size === 0) return false;
    c.eq.remove(id);
    for (const [slot, v] of changes) r.values[slot] = v;
    c.eq.add(id);
    r.modified = now;
    return true;
  }

  /** @internal Soft delete: `removed` is set, `modified` kept. */
  removeSubprofile(c: Collection, id: number, now = nowSeconds()): void {
    const r = c.recs.get(id);
    if (!r) return;
    if (!r.removed) c.eq.remove(id);
    r.removed = now;
    sortedRemove(c.ids, id);
  }

  // ---- FakeAccountContext ----------------------------------------------------------------

  /** @internal */
  profileFields(db: Database, id: number): Record<string, string> {
    return fieldMap(db.fields.list, (f) => db.value(id, f));
  }

  /** @internal */
  subprofileFields(c: Collection, id: number): Record<string, string> {
    return fieldMap(c.fields.list, (f) => c.value(id, f));
  }

  private emailOf(container: Database | Collection, id: number): string {
    const f = container.fields.list.find((x) => x.type === 'email') ?? container.fields.byName('email');
    return f ? container.value(id, f) : '';
  }

  profile(id: number): FakeRecipient | undefined {
    const db = this.databaseOf(id);
    if (!db || !db.isLive(id)) return undefined;
    return { profile: id, database: db.id, email: this.emailOf(db, id), fields: this.profileFields(db, id) };
  }

  subprofile(id: number): FakeRecipient | undefined {
    const c = this.subOwner.get(id);
    const r = c?.recs.get(id);
    if (!c || !r || r.removed) return undefined;
    const db = c.database;
    const email = this.emailOf(c, id) || (db.isLive(r.profile) ? this.emailOf(db, r.profile) : '');
    return { profile: r.profile, database: db.id, subprofile: id, collection: c.id, email, fields: this.subprofileFields(c, id) };
  }

  byEmail(email: string): FakeRecipient[] {
    const lower = email.toLowerCase();
    const out: FakeRecipient[] = [];
    for (const db of this.databases.values()) {
      const f = db.fields.list.find((x) => x.type === 'email');
      if (f) for (const id of db.ids) if (db.value(id, f).toLowerCase() === lower) out.push(this.profile(id) as FakeRecipient);
      for (const c of db.collections) {
        const cf = c.fields.list.find((x) => x.type === 'email');
        if (cf) for (const id of c.ids) if (c.value(id, cf).toLowerCase() === lower) out.push(this.subprofile(id) as FakeRecipient);
      }
    }
    return out;
  }

  /** @internal */
  findView(ref: string): ViewDef | undefined {
    if (/^\d+$/.test(ref)) {
      const v = this.views.get(Number(ref));
      if (v) return v;
    }
    const lower = ref.toLowerCase();
    for (const v of this.views.values()) if (v.name.toLowerCase() === lower) return v;
    return undefined;
  }

  /** @internal */
  findMiniview(ref: string): MiniviewDef | undefined {
    if (/^\d+$/.test(ref)) {
      const m = this.miniviews.get(Number(ref));
      if (m) return m;
    }
    const lower = ref.toLowerCase();
    for (const m of this.miniviews.values()) if (m.name.toLowerCase() === lower) return m;
    return undefined;
  }

  recipients(target: FakeMailingTarget): FakeRecipient[] {
    const ref = String(Object.values(target)[0]);
    if ('database' in target) {
      const db = this.findDatabase(ref);
      if (!db) throw new FakeApiError('No database with supplied ID');
      return db.ids.map((id) => this.profile(id) as FakeRecipient);
    }
    if ('view' in target) {
      const v = this.findView(ref);
      if (!v) throw new FakeApiError('No view with supplied ID');
      return viewMembers(this, v).map((id) => this.profile(id) as FakeRecipient);
    }
    if ('collection' in target) {
      const c = this.findCollection(ref);
      if (!c) throw new FakeApiError('No collection with given ID');
      return c.ids.map((id) => this.subprofile(id) as FakeRecipient);
    }
    const m = this.findMiniview(ref);
    if (!m) throw new FakeApiError('No miniview with supplied ID');
    return miniviewMembers(this, m).map((id) => this.subprofile(id) as FakeRecipient);
  }

  // ---- JSON shapes -----------------------------------------------------------------------

  /** @internal */
  profileJson(db: Database, id: number): Record<string, unknown> {
    const r = db.recs.get(id);
    const dates = db.datesText(id);
    const base: Record<string, unknown> = {
      ID: String(id),
      database: String(db.id),
      secret: db.secretOf(id),
      created: dates.created,
      modified: dates.modified,
      // Live: `false` (a JSON boolean) on a live entity, the removal time after DELETE.
      removed: r?.removed ? fmtDate(r.removed) : false,
    };
    // A removed profile keeps every key of `fields` with the value "", and its interests.
    base.fields = r?.removed ? fieldMap(db.fields.list, () => '') : this.profileFields(db, id);
    const ints = db.interestsOf(id);
    base.interests = db.interests.filter((i) => ints.has(i.id)).map((i) => i.name);
    return base;
  }

  /** @internal */
  subprofileJson(c: Collection, id: number, idKey: 'ID' | 'id' = 'ID'): Record<string, unknown> {
    const r = c.recs.get(id) as SubprofileRec;
    const out: Record<string, unknown> = {
      [idKey]: String(id),
      profile: String(r.profile),
      collection: String(c.id),
      secret: r.secret,
      created: fmtDate(r.created),
      modified: fmtDate(r.modified),
      removed: r.removed ? fmtDate(r.removed) : false,
    };
    out.fields = r.removed ? fieldMap(c.fields.list, () => '') : this.subprofileFields(c, id);
    return out;
  }
}

/**
 * Field name → value, every name an own property: a field may be called `__proto__` (Copernica
 * accepts any name), and an assignment would set the object's prototype instead of storing it.
 */
function fieldMap<F extends { name: string }>(fields: readonly F[], value: (f: F) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) setOwn(out, f.name, value(f));
  return out;
}

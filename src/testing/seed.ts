/** Deterministic seed data: accounts, databases with every field type, interests, collections, views, miniviews. */
import { GEN, type FieldDef, type FieldType, type ValueGenerator } from './fields.js';
import { type Account, Collection, Database, type RuleDef, type Store } from './store.js';
import { hash3, mulberry32 } from './util.js';

export interface SeedOptions {
  seed: number;
  /** Profiles per seeded database. */
  profiles: number;
}

type FieldSpec = [name: string, type: FieldType, gen: ValueGenerator | undefined, extra?: Partial<FieldDef>];

const DATABASE_FIELDS: FieldSpec[] = [
  ['firstname', 'text', GEN.firstname, { length: 50 }],
  ['lastname', 'text', GEN.lastname, { length: 50 }],
  ['email', 'email', GEN.email],
  ['age', 'integer', GEN.age],
  ['score', 'float', GEN.score],
  ['birthdate', 'date', GEN.birthdate],
  ['lastvisit', 'empty_date', GEN.lastvisit],
  ['signup', 'datetime', GEN.signup],
  ['lastorder', 'empty_datetime', GEN.lastorder],
  ['notes', 'big', GEN.notes],
  ['fax', 'phone_fax', GEN.fax],
  ['mobile', 'phone_gsm', GEN.mobile],
  ['country', 'select', GEN.country, { value: 'netherlands\ngermany\nbelgium\nfrance' }],
  ['referrer', 'foreign_key', GEN.referrer],
];

const COLLECTION_FIELDS: FieldSpec[] = [
  ['ordernumber', 'text', GEN.ordernumber, { length: 50 }],
  ['amount', 'float', GEN.amount],
  ['status', 'select', GEN.status, { value: 'new\npaid\nshipped' }],
  ['orderdate', 'datetime', GEN.signup],
];

/** How many leading profiles of a seeded database get seeded subprofiles (kept small on purpose). */
export const SEEDED_SUBPROFILE_OWNERS = 500;

function addFields(store: Store, target: { fields: Database['fields'] }, specs: FieldSpec[]): void {
  for (const [name, type, gen, extra] of specs) {
    target.fields.add({
      id: store.next('field'),
      name,
      type,
      value: '',
      displayed: true,
      ordered: false,
      length: 255,
      textlines: type === 'big' ? 5 : 1,
      hidden: false,
      index: name === 'email',
      ...(gen ? { gen } : {}),
      ...extra,
    });
  }
}

function rule(
  store: Store,
  account: Account,
  kind: 'rule' | 'minirule',
  owner: number,
  name: string,
  conditions: Record<string, unknown>[],
  inverted = false,
): RuleDef {
  const r: RuleDef = {
    id: store.next(kind),
    kind,
    owner,
    name,
    description: '',
    inverted,
    disabled: false,
    conditions: conditions.map((c) => {
      const { type, ...props } = c;
      return { id: store.next('condition'), type: String(type), props };
    }),
  };
  (kind === 'rule' ? account.rules : account.minirules).set(r.id, r);
  return r;
}

export function seedDatabase(
  store: Store,
  account: Account,
  name: string,
  description: string,
  opts: SeedOptions,
  created: number,
): Database {
  const db = new Database(store.next('database'), name, description, false, created);
  account.databases.set(db.id, db);
  addFields(store, db, DATABASE_FIELDS);
  for (const [n, g] of [
    ['tennis', 'sport'],
    ['hockey', 'sport'],
    ['cooking', 'hobby'],
    ['travel', 'hobby'],
  ] as const) {
    db.interests.push({ id: store.next('interest'), name: n, group: g });
  }
  db.seedInterests = db.interests.map((i) => i.id);
  db.seed = hash3(opts.seed, db.id, 0xdb);
  db.unsubscribe = { behavior: 'update', fields: { country: '' } };
  if (opts.profiles > 0) {
    const first = store.reserve('profile', opts.profiles);
    db.seedLo = first;
    db.seedHi = first + opts.profiles - 1;
    for (let i = 0; i < opts.profiles; i++) db.ids.push(first + i);
  }

  const orders = new Collection(store.next('collection'), 'orders', db);
  addFields(store, orders, COLLECTION_FIELDS);
  db.collections.push(orders);
  account.collections.set(orders.id, orders);
  const notes = new Collection(store.next('collection'), 'contacts', db);
  addFields(store, notes, [
    ['subject', 'text', GEN.notes],
    ['email', 'email', GEN.email],
  ]);
  db.collections.push(notes);
  account.collections.set(notes.id, notes);

  // Seeded subprofiles: 0–2 orders for the first profiles; values fixed at creation.
  const owners = Math.min(opts.profiles, SEEDED_SUBPROFILE_OWNERS);
  for (let i = 0; i < owners; i++) {
    const pid = db.seedLo + i;
    const n = hash3(db.seed, pid, 0x5b) % 3;
    for (let k = 0; k < n; k++) {
      const sid = store.next('subprofile');
      const h = (slot: number): number => hash3(db.seed, sid, 0x100 + slot);
      const values: (string | undefined)[] = [];
      for (const f of orders.fields.list) values[f.slot] = f.gen ? f.gen(h(f.slot), sid) : '';
      const when = db.createdOf(pid) + (h(99) % (90 * 86400));
      orders.recs.set(sid, {
        id: sid,
        profile: pid,
        secret: [1, 2, 3, 4]
          .map((k) => hash3(db.seed, sid, k).toString(16).padStart(8, '0'))
          .join('')
          .slice(0, 28),
        created: when,
        modified: when,
        values,
        interests: new Set(),
        removed: 0,
      });
      orders.ids.push(sid);
      account.subOwner.set(sid, orders);
      const list = account.subsByProfile.get(pid);
      if (list) list.push(sid);
      else account.subsByProfile.set(pid, [sid]);
    }
  }

  // Views: dutch (country equals netherlands) › dutch-seniors (age more 60); adults-or-tennis (two rules);
  // not-dutch (inverted rule); everyone (no rules).
  const mkView = (vname: string, parentType: 'database' | 'view', parentId: number, desc: string) => {
    const v = {
      id: store.next('view'),
      name: vname,
      description: desc,
      database: db,
      parentType,
      parentId,
      rules: [] as RuleDef[],
      lastBuilt: created,
    };
    account.views.set(v.id, v);
    return v;
  };
  const dutch = mkView('dutch', 'database', db.id, 'Profiles in the Netherlands');
  dutch.rules.push(
    rule(store, account, 'rule', dutch.id, 'country-is-nl', [
      { type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' },
    ]),
  );
  const seniors = mkView('dutch-seniors', 'view', dutch.id, 'Dutch profiles older than 60');
  seniors.rules.push(
    rule(store, account, 'rule', seniors.id, 'age-over-60', [
      { type: 'Field', field: 'age', comparison: 'more', value: '60', 'numeric-comparison': true },
    ]),
  );
  const either = mkView('young-or-tennis', 'database', db.id, 'Under 25, or tennis players');
  either.rules.push(
    rule(store, account, 'rule', either.id, 'young', [
      { type: 'Field', field: 'age', comparison: 'less', value: '25', 'numeric-comparison': true },
    ]),
  );
  either.rules.push(
    rule(store, account, 'rule', either.id, 'tennis', [
      { type: 'Interest', 'match-mode': 'match_profiles_with_interest', interest: 'tennis' },
    ]),
  );
  const notDutch = mkView('not-dutch', 'database', db.id, 'Everybody outside the Netherlands');
  notDutch.rules.push(
    rule(
      store,
      account,
      'rule',
      notDutch.id,
      'not-nl',
      [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
      true,
    ),
  );
  mkView('everyone', 'database', db.id, 'No rules: all profiles');

  const big = {
    id: store.next('miniview'),
    name: 'big-orders',
    description: 'Orders above 100',
    collection: orders,
    parentType: 'collection' as const,
    parentId: orders.id,
    rules: [] as RuleDef[],
  };
  account.miniviews.set(big.id, big);
  big.rules.push(
    rule(store, account, 'minirule', big.id, 'amount-over-100', [
      { type: 'Field', field: 'amount', comparison: 'more', value: '100', 'numeric-comparison': true },
    ]),
  );
  return db;
}

export interface SeedResult {
  accounts: Account[];
}

/** Two accounts (so the consent page offers a choice) plus a small third; the first holds two databases. */
export function seedStore(store: Store, opts: SeedOptions): SeedResult {
  const rnd = mulberry32(opts.seed);
  const created = 1483228800 + Math.floor(rnd() * 86400 * 365); // some day in 2017
  const a1 = store.addAccount('acme-newsletters', 'Main marketing account', 'Acme Ltd');
  seedDatabase(store, a1, 'customers', 'All customers', opts, created);
  seedDatabase(store, a1, 'prospects', 'Leads from the website', { ...opts, profiles: Math.min(opts.profiles, 20) }, created + 86400);
  const a2 = store.addAccount('acme-webshop', 'Webshop account', 'Acme Ltd');
  seedDatabase(store, a2, 'shoppers', 'Webshop customers', { ...opts, profiles: Math.min(opts.profiles, 30) }, created + 2 * 86400);
  const a3 = store.addAccount('globex', 'Globex account', 'Globex Corporation');
  seedDatabase(store, a3, 'members', 'Members', { ...opts, profiles: Math.min(opts.profiles, 10) }, created + 3 * 86400);
  return { accounts: [a1, a2, a3] };
}

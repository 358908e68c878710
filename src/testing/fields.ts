/** Field definitions of databases and collections, value coercion on write, and seeded value generators. */
import { EMPTY_DATE, EMPTY_DATETIME, fmtDate, fmtDay, nowSeconds, parseBool } from './util.js';

export const FIELD_TYPES = [
  'integer',
  'float',
  'date',
  'empty_date',
  'datetime',
  'empty_datetime',
  'text',
  'big',
  'email',
  'phone',
  'phone_fax',
  'phone_gsm',
  'select',
  'foreign_key',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Generates the value of a seeded record lazily from a 32-bit hash and the record ID. */
export type ValueGenerator = (h: number, id: number) => string;

export interface FieldDef {
  id: number;
  /** Position in the value arrays of records; never reused. */
  slot: number;
  name: string;
  type: FieldType;
  value: string;
  displayed: boolean;
  ordered: boolean;
  length: number;
  textlines: number;
  hidden: boolean;
  index: boolean;
  gen?: ValueGenerator;
  /**
   * Records with a lower ID existed when the field was added: one that never set the field reads
   * its fill value (`0`, the zero date), not the default (spec/OBSERVED.md, noted live).
   */
  backfillBelow?: number;
}

export function isFieldType(t: unknown): t is FieldType {
  return typeof t === 'string' && (FIELD_TYPES as readonly string[]).includes(t);
}

/** The fields of one database or collection, in creation order. */
export class FieldSet {
  readonly list: FieldDef[] = [];
  private nextSlot = 0;

  /** @param recordFloor The lowest record ID that does not exist yet (set by the owning database or collection). */
  constructor(private readonly recordFloor: () => number = () => 0) {}

  add(def: Omit<FieldDef, 'slot' | 'backfillBelow'>): FieldDef {
    const f: FieldDef = { ...def, slot: this.nextSlot++, backfillBelow: this.recordFloor() };
    this.list.push(f);
    return f;
  }

  remove(f: FieldDef): void {
    const i = this.list.indexOf(f);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** By name, case-insensitively. */
  byName(name: string): FieldDef | undefined {
    const lower = name.toLowerCase();
    return this.list.find((f) => f.name.toLowerCase() === lower);
  }

  byId(id: number): FieldDef | undefined {
    return this.list.find((f) => f.id === id);
  }

  /** By ID, or by name when the reference is not numeric or no field has that ID. */
  byRef(ref: string): FieldDef | undefined {
    if (/^\d+$/.test(ref)) {
      const f = this.byId(Number(ref));
      if (f) return f;
    }
    return this.byName(ref);
  }
}

/** The value a record has for a field it never set. */
export function defaultValue(f: FieldDef): string {
  switch (f.type) {
    case 'select':
      return '';
    case 'integer':
    case 'foreign_key':
      return /^-?\d+$/.test(f.value) ? f.value : '0';
    case 'float':
      return f.value !== '' && Number.isFinite(Number(f.value)) ? f.value : '0';
    case 'date':
    case 'empty_date':
      return /^\d{4}-\d{2}-\d{2}$/.test(f.value) ? f.value : emptyValue(f);
    case 'datetime':
    case 'empty_datetime':
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(f.value) ? f.value : emptyValue(f);
    default:
      return f.value;
  }
}

/**
 * The value of a field a record never set: the default, except that records older than the field
 * read `0` (integer, float, foreign key) or the zero date (date, datetime): adding such a field to
 * a database with profiles fills them that way live, not with the default (spec/OBSERVED.md, noted).
 */
export function unsetValue(f: FieldDef, recordId: number): string {
  if (recordId < (f.backfillBelow ?? 0)) {
    switch (f.type) {
      case 'integer':
      case 'float':
      case 'foreign_key':
        return '0';
      case 'date':
        return EMPTY_DATE;
      case 'datetime':
        return EMPTY_DATETIME;
      default:
        break;
    }
  }
  return defaultValue(f);
}

export function selectChoices(f: FieldDef): string[] {
  return f.value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * The empty value of a field type (spec/OBSERVED.md "Removed entities and empty values"): `date`
 * gives `0000-00-00`, `datetime` `0000-00-00 00:00:00`, `empty_date`/`empty_datetime` and text
 * types `""`, numbers `0`.
 */
export function emptyValue(f: FieldDef): string {
  switch (f.type) {
    case 'date':
      return EMPTY_DATE;
    case 'datetime':
      return EMPTY_DATETIME;
    case 'integer':
    case 'float':
    case 'foreign_key':
      return '0';
    default:
      return '';
  }
}

const RELATIVE_DAYS = new Map([
  ['today', 0],
  ['midnight', 0],
  ['yesterday', -1],
  ['tomorrow', 1],
]);

/**
 * A written date as the live service stores it (the peer's conversion table, spec/OBSERVED.md
 * "Removed entities and empty values", noted): `YYYY-MM-DD[ hh:mm[:ss]]` (also `T`), `@<unix
 * seconds>`, `now`, `today`, `yesterday`, `tomorrow`; a value starting `0000-00-00` is empty whatever
 * its time part; one that would give a negative year (`0000-00-01`) becomes the zero date even in
 * `empty_` types; anything else (text, booleans, arrays, bare Unix timestamps) is empty.
 */
function coerceDate(f: FieldDef, raw: unknown): string {
  const withTime = f.type === 'datetime' || f.type === 'empty_datetime';
  const zero = withTime ? EMPTY_DATETIME : EMPTY_DATE;
  if (typeof raw !== 'string' && typeof raw !== 'number') return emptyValue(f);
  const s = String(raw).trim();
  const fromEpoch = (t: number): string => {
    const text = fmtDate(t);
    return withTime ? text : text.slice(0, 10);
  };
  const word = s.toLowerCase();
  if (word === 'now') return fromEpoch(nowSeconds());
  const days = RELATIVE_DAYS.get(word);
  if (days !== undefined) {
    const day = fmtDate(nowSeconds() + days * 86400).slice(0, 10); // local midnight, as PHP's strtotime
    return withTime ? `${day} 00:00:00` : day;
  }
  const at = /^@(-?\d+)$/.exec(s);
  if (at) return fromEpoch(Number(at[1]));
  if (s.startsWith('0000-00-00')) return emptyValue(f);
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/.exec(s);
  if (!m) return emptyValue(f);
  if (Number(m[1]) === 0 && (Number(m[2]) === 0 || Number(m[3]) === 0)) return zero; // negative year
  const day = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  return withTime ? `${day} ${pad(Number(m[4] ?? 0))}:${pad(Number(m[5] ?? 0))}:${pad(Number(m[6] ?? 0))}` : day;
}

/** Coerce a written value like the live service does (spec/OBSERVED.md "Encoding of values"). */
export function coerceValue(f: FieldDef, raw: unknown): string {
  if (f.type === 'date' || f.type === 'empty_date' || f.type === 'datetime' || f.type === 'empty_datetime') return coerceDate(f, raw);
  const s =
    raw === null || raw === undefined
      ? ''
      : typeof raw === 'object'
        ? JSON.stringify(raw)
        : typeof raw === 'boolean'
          ? raw
            ? '1'
            : '0'
          : String(raw);
  switch (f.type) {
    case 'integer':
    case 'foreign_key': {
      const n = parseInt(s.trim(), 10); // loose cast: "12abc" → 12, "abc" and "" → 0
      return Number.isFinite(n) ? String(n) : '0';
    }
    case 'float': {
      const n = parseFloat(s.trim());
      return Number.isFinite(n) ? String(n) : '0';
    }
    case 'select': {
      const choices = selectChoices(f);
      const hit = choices.find((c) => c.toLowerCase() === s.trim().toLowerCase());
      return hit ?? '';
    }
    default:
      return f.length > 0 && s.length > f.length && f.type !== 'big' ? s.slice(0, f.length) : s;
  }
}

/** Build a field definition from a POST/PUT body, with defaults. */
export function fieldFromBody(id: number, body: Record<string, unknown>, base?: FieldDef): Omit<FieldDef, 'slot'> {
  const get = (k: string): unknown => body[k] ?? body[k.charAt(0).toUpperCase() + k.slice(1)];
  const type = get('type');
  const num = (v: unknown, d: number): number => {
    const n = parseInt(String(v ?? ''), 10);
    return Number.isFinite(n) ? n : d;
  };
  return {
    id,
    name: get('name') !== undefined ? String(get('name')) : (base?.name ?? ''),
    type: isFieldType(type) ? type : type === 'empty_data' ? 'empty_date' : (base?.type ?? 'text'),
    value: get('value') !== undefined ? String(get('value')) : (base?.value ?? ''),
    displayed: get('displayed') !== undefined ? parseBool(get('displayed')) : (base?.displayed ?? true),
    ordered: get('ordered') !== undefined ? parseBool(get('ordered')) : (base?.ordered ?? false),
    length: get('length') !== undefined ? num(get('length'), 255) : (base?.length ?? 255),
    textlines: get('textlines') !== undefined ? num(get('textlines'), 1) : (base?.textlines ?? 1),
    hidden: get('hidden') !== undefined ? parseBool(get('hidden')) : (base?.hidden ?? false),
    index: get('index') !== undefined ? parseBool(get('index')) : (base?.index ?? false),
    ...(base?.gen ? { gen: base.gen } : {}),
  };
}

/** The JSON shape of a field (numbers as strings, booleans as booleans). */
export function fieldJson(f: FieldDef): Record<string, unknown> {
  return {
    ID: String(f.id),
    name: f.name,
    type: f.type,
    value: f.value,
    displayed: f.displayed,
    ordered: f.ordered,
    length: String(f.length),
    textlines: String(f.textlines),
    hidden: f.hidden,
    index: f.index,
  };
}

// ---- seeded value generators -------------------------------------------------------------

const FIRST = [
  'Anna',
  'Bram',
  'Chris',
  'Daan',
  'Emma',
  'Fleur',
  'Gijs',
  'Hanna',
  'Ivo',
  'Julia',
  'Kees',
  'Lotte',
  'Mila',
  'Noah',
  'Olivia',
  'Pieter',
  'Quinten',
  'Roos',
  'Sem',
  'Tess',
];
const LAST = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Mulder',
  'de Boer',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Dijk',
  'Dekker',
  'Brouwer',
];
const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do'];

const pick = <T>(arr: readonly T[], h: number): T => arr[h % arr.length] as T;
const day = (h: number, from: number, span: number): string => fmtDay(from + (h % span));

export const GEN = {
  firstname: ((h) => pick(FIRST, h)) as ValueGenerator,
  lastname: ((h) => pick(LAST, h)) as ValueGenerator,
  email: ((h, id) => `${pick(FIRST, h).toLowerCase()}.${id}@example.${pick(['com', 'nl', 'org'], h >>> 8)}`) as ValueGenerator,
  age: ((h) => String(18 + (h % 70))) as ValueGenerator,
  score: ((h) => String((h % 10000) / 100)) as ValueGenerator,
  birthdate: ((h) => day(h, -3650, 18250)) as ValueGenerator,
  lastvisit: ((h) => (h % 4 === 0 ? '' : day(h >>> 2, 18262, 2000))) as ValueGenerator,
  signup: ((h) => `${day(h, 17532, 2500)} ${pad((h >>> 5) % 24)}:${pad((h >>> 9) % 60)}:${pad((h >>> 13) % 60)}`) as ValueGenerator,
  lastorder: ((h) =>
    h % 3 === 0 ? '' : `${day(h >>> 2, 18262, 2000)} ${pad((h >>> 7) % 24)}:${pad((h >>> 11) % 60)}:00`) as ValueGenerator,
  notes: ((h) => `${pick(WORDS, h)} ${pick(WORDS, h >>> 4)} ${pick(WORDS, h >>> 8)}`) as ValueGenerator,
  fax: ((h) => (h % 5 === 0 ? `+3120${String(h % 10000000).padStart(7, '0')}` : '')) as ValueGenerator,
  mobile: ((h) => `+316${String(h % 100000000).padStart(8, '0')}`) as ValueGenerator,
  country: ((h) => pick(['netherlands', 'germany', 'belgium', 'france'], h)) as ValueGenerator,
  referrer: ((h) => (h % 7 === 0 ? String(1 + (h % 50)) : '0')) as ValueGenerator,
  ordernumber: ((h, id) => `A-${1000 + id}`) as ValueGenerator,
  amount: ((h) => String((h % 30000) / 100)) as ValueGenerator,
  status: ((h) => pick(['new', 'paid', 'shipped'], h)) as ValueGenerator,
};

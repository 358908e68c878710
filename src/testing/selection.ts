/**
 * Evaluation of views (selections) and miniviews: rules are ORed, the conditions of one rule are
 * ANDed, an inverted rule is negated, disabled rules are skipped, a view without enabled rules
 * selects all of its parent's records. Evaluated condition types: Field, Interest, ReferView.
 * Every other type is stored and returned but treated as satisfied (see README.md).
 */
import type { FieldDef } from './fields.js';
import { linearRegExp } from './linear-regex.js';
import type { Account, ConditionDef, MiniviewDef, RecordContainer, RuleDef, ViewDef } from './store.js';
import { indexOfSorted, parseBool } from './util.js';

type Pred = (id: number) => boolean;
const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

function fieldCondition(c: RecordContainer, props: Record<string, unknown>): Pred | undefined {
  const f = typeof props.field === 'string' ? c.fields.byName(props.field) : undefined;
  if (!f) return undefined;
  const otherName = props['other-field'];
  const other: FieldDef | undefined = typeof otherName === 'string' && otherName !== '' ? c.fields.byName(otherName) : undefined;
  const fixed = String(props.value ?? '');
  const cmp = String(props.comparison ?? 'equals')
    .toLowerCase()
    .replace(/[_-]/g, ' ')
    .trim();
  const numericFlag = parseBool(props['numeric-comparison']);
  // A client's pattern never reaches the backtracking RegExp engine (issue 11): linear-regex.ts
  // matches in O(value × pattern). A pattern it cannot read matches nothing.
  let re: ((v: string) => boolean) | undefined;
  if (cmp === 'regexp') {
    re = linearRegExp(fixed);
    if (!re) return () => false;
  }
  return (id) => {
    const v = c.value(id, f);
    const o = other ? c.value(id, other) : fixed;
    const numeric = numericFlag || (NUMERIC.test(v) && NUMERIC.test(o));
    switch (cmp) {
      case 'equals':
        return numeric ? Number(v) === Number(o) : v.toLowerCase() === o.toLowerCase();
      case 'not equals':
        return numeric ? Number(v) !== Number(o) : v.toLowerCase() !== o.toLowerCase();
      case 'contains':
        return v.toLowerCase().includes(o.toLowerCase());
      case 'not contains':
        return !v.toLowerCase().includes(o.toLowerCase());
      case 'less':
        return numeric ? Number(v) < Number(o) : v.toLowerCase() < o.toLowerCase();
      case 'more':
        return numeric ? Number(v) > Number(o) : v.toLowerCase() > o.toLowerCase();
      case 'is email':
        return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);
      case 'regexp':
        return (re as (v: string) => boolean)(v);
      case 'is numeric':
        return NUMERIC.test(v);
      default:
        return true;
    }
  };
}

function conditionPred(account: Account, c: RecordContainer, cond: ConditionDef, depth: number): Pred | undefined {
  const type = cond.type.toLowerCase();
  const p = cond.props;
  if (type === 'field') return fieldCondition(c, p);
  if (type === 'interest' && c.kind === 'database') {
    const db = account.databases.get(c.id);
    if (!db) return undefined;
    const mode = String(p['match-mode'] ?? 'match_profiles_with_interest')
      .toLowerCase()
      .replace(/_/g, '');
    const without = mode.includes('without');
    let ids: number[];
    if (mode.includes('group')) {
      const g = String(p['interest-group'] ?? '').toLowerCase();
      ids = db.interests.filter((i) => i.group.toLowerCase() === g).map((i) => i.id);
    } else {
      const i = db.interestByRef(String(p.interest ?? ''));
      ids = i ? [i.id] : [];
    }
    return (id) => {
      const set = db.interestsOf(id);
      const has = ids.some((i) => set.has(i));
      return without ? !has : has;
    };
  }
  if (type === 'referview' && c.kind === 'database' && depth < 8) {
    const v = account.views.get(Number(p['refer-view']));
    if (!v) return undefined;
    const members = viewMembers(account, v, depth + 1);
    const want = String(p['check-type'] ?? 'yes').toLowerCase() !== 'no' && p['check-type'] !== false;
    return (id) => indexOfSorted(members, id) >= 0 === want;
  }
  return undefined; // not evaluated: treated as satisfied
}

function rulesPred(account: Account, c: RecordContainer, rules: RuleDef[], depth: number): Pred | undefined {
  const enabled = rules.filter((r) => !r.disabled);
  if (enabled.length === 0) return undefined;
  const compiled = enabled.map((r) => {
    const preds = r.conditions.map((cd) => conditionPred(account, c, cd, depth)).filter((x): x is Pred => x !== undefined);
    const inv = r.inverted;
    return (id: number) => {
      let ok = true;
      for (const p of preds)
        if (!p(id)) {
          ok = false;
          break;
        }
      return inv ? !ok : ok;
    };
  });
  return (id) => compiled.some((p) => p(id));
}

/** Live profile IDs in a view, ascending. */
export function viewMembers(account: Account, v: ViewDef, depth = 0): number[] {
  const parent = v.parentType === 'view' ? account.views.get(v.parentId) : undefined;
  const base = parent && depth < 16 ? viewMembers(account, parent, depth + 1) : v.database.ids;
  const pred = rulesPred(account, v.database, v.rules, depth);
  return pred ? base.filter(pred) : base;
}

/** Live subprofile IDs in a miniview, ascending. */
export function miniviewMembers(account: Account, m: MiniviewDef, depth = 0): number[] {
  const parent = m.parentType === 'miniview' ? account.miniviews.get(m.parentId) : undefined;
  const base = parent && depth < 16 ? miniviewMembers(account, parent, depth + 1) : m.collection.ids;
  const pred = rulesPred(account, m.collection, m.rules, depth);
  return pred ? base.filter(pred) : base;
}

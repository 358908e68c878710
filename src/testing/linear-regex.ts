/**
 * A regular-expression matcher that runs in O(value × pattern) time: the pattern is compiled to a
 * Thompson NFA and simulated one input character at a time over the set of live states (a Pike VM
 * without captures), so no input can make it backtrack. Used for the `regexp` comparison of view
 * and miniview rule conditions, whose patterns come from API clients (issue 11: a backtracking
 * regex let one request block the fake, and the test runner embedding it).
 *
 * Syntax (POSIX ERE as MySQL's REGEXP reads it, case-insensitive, a search anywhere in the value):
 * literals, `.`, `[…]` / `[^…]` with ranges, `\d \w \s` and `[:alpha:]`-style classes, `^`, `$`,
 * `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`, `|`, `( )`; `\x` is the literal `x` otherwise. A pattern that
 * does not parse, or whose NFA would exceed {@link MAX_STATES}, compiles to `undefined`.
 */

/** Largest NFA compiled (bounded repetitions are expanded): a pattern needing more is refused. */
export const MAX_STATES = 20_000;
/** Deepest nesting of groups and stacked quantifiers (`a**…`) accepted. */
export const MAX_NESTING = 100;

type CharTest = (c: string) => boolean;
type Ast =
  | { t: 'chr'; test: CharTest }
  | { t: 'cat'; items: Ast[] }
  | { t: 'alt'; items: Ast[] }
  | { t: 'rep'; x: Ast; min: number; max: number } // max Infinity = unbounded
  | { t: 'bol' }
  | { t: 'eol' };

type State =
  | { k: 'chr'; test: CharTest; next: number }
  | { k: 'split'; a: number; b: number }
  | { k: 'bol'; next: number }
  | { k: 'eol'; next: number }
  | { k: 'match' };

class ParseError extends Error {}

const POSIX: Record<string, CharTest> = {
  alpha: (c) => /\p{L}/u.test(c),
  digit: (c) => c >= '0' && c <= '9',
  alnum: (c) => /[\p{L}\p{N}]/u.test(c),
  space: (c) => /\s/u.test(c),
  upper: (c) => /\p{Lu}/u.test(c),
  lower: (c) => /\p{Ll}/u.test(c),
  punct: (c) => /\p{P}/u.test(c),
  xdigit: (c) => /[0-9a-f]/i.test(c),
};

function escapeClass(e: string): CharTest | undefined {
  switch (e) {
    case 'd':
      return POSIX.digit;
    case 'w':
      return (c) => c === '_' || /[\p{L}\p{N}]/u.test(c);
    case 's':
      return POSIX.space;
    default:
      return undefined;
  }
}

/** Case-insensitive: a test holds when it holds for the character or its other case. */
function nocase(test: CharTest): CharTest {
  return (c) => test(c) || test(c.toLowerCase()) || test(c.toUpperCase());
}

function parse(src: string): Ast {
  const s = Array.from(src);
  let i = 0;
  let budget = MAX_STATES;
  let depth = 0;
  /** Groups and stacked quantifiers nest the AST; bounded, so neither parse nor compile can exhaust the stack. */
  const nest = (): void => {
    if (++depth > MAX_NESTING) throw new ParseError('nested too deeply');
  };
  const spend = (n: number): void => {
    budget -= n;
    if (budget < 0) throw new ParseError('pattern too large');
  };

  const alt = (): Ast => {
    const items = [seq()];
    while (s[i] === '|') {
      i++;
      items.push(seq());
    }
    return items.length === 1 ? (items[0] as Ast) : { t: 'alt', items };
  };
  const seq = (): Ast => {
    const items: Ast[] = [];
    while (i < s.length && s[i] !== '|' && s[i] !== ')') items.push(repeat());
    return { t: 'cat', items };
  };
  const repeat = (): Ast => {
    let x = atom();
    const outer = depth;
    for (; ; nest()) {
      const c = s[i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d{1,5})(,(\d{0,5}))?\}/.exec(s.slice(i, i + 14).join(''));
        if (!m) {
          depth = outer;
          return x; // a literal `{`, read by the next atom
        }
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max < min) throw new ParseError('bad repetition');
        i += m[0].length - 1;
      } else {
        depth = outer;
        return x;
      }
      i++;
      spend(Math.max(min, max === Infinity ? min + 1 : max) * 2);
      x = { t: 'rep', x, min, max };
    }
  };
  const atom = (): Ast => {
    const c = s[i++];
    spend(1);
    switch (c) {
      case undefined:
        throw new ParseError('unexpected end');
      case '(': {
        nest();
        const x = alt();
        depth--;
        if (s[i++] !== ')') throw new ParseError('unbalanced (');
        return x;
      }
      case ')':
      case '*':
      case '+':
      case '?':
        throw new ParseError(`unexpected ${c}`);
      case '.':
        return { t: 'chr', test: (ch) => ch !== '\n' };
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '[':
        return { t: 'chr', test: charClass() };
      case '\\': {
        const e = s[i++];
        if (e === undefined) throw new ParseError('trailing backslash');
        const cls = escapeClass(e);
        if (cls) return { t: 'chr', test: cls };
        return literal(e);
      }
      default:
        return literal(c);
    }
  };
  const literal = (c: string): Ast => {
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    return { t: 'chr', test: (ch) => ch === c || ch === lower || ch === upper || ch.toLowerCase() === lower };
  };
  const charClass = (): CharTest => {
    const negate = s[i] === '^';
    if (negate) i++;
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = s[i++];
      if (c === undefined) throw new ParseError('unbalanced [');
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && s[i] === ':') {
        const end = s.indexOf(']', i);
        const name = s.slice(i + 1, end - 1).join('');
        const t = POSIX[name];
        if (end < 0 || s[end - 1] !== ':' || !t || !Object.hasOwn(POSIX, name)) throw new ParseError('bad class');
        tests.push(t);
        i = end + 1;
        continue;
      }
      let lo = c;
      if (c === '\\' && s[i] !== undefined) {
        const e = s[i++] as string;
        const cls = escapeClass(e);
        if (cls) {
          tests.push(cls);
          continue;
        }
        lo = e;
      }
      if (s[i] === '-' && s[i + 1] !== undefined && s[i + 1] !== ']') {
        const hi = s[i + 1] as string;
        i += 2;
        if (hi < lo) throw new ParseError('bad range');
        tests.push((ch) => ch >= lo && ch <= hi);
      } else {
        const only = lo;
        tests.push((ch) => ch === only);
      }
    }
    const any = nocase((ch) => tests.some((t) => t(ch)));
    return negate ? (ch) => !any(ch) : any;
  };

  const ast = alt();
  if (i < s.length) throw new ParseError('unbalanced )');
  return ast;
}

function compile(ast: Ast): State[] {
  const states: State[] = [{ k: 'match' }];
  const push = (st: State): number => {
    if (states.length >= MAX_STATES) throw new ParseError('pattern too large');
    states.push(st);
    return states.length - 1;
  };
  /** The start state of `node`, continuing at `next`. */
  const emit = (node: Ast, next: number): number => {
    switch (node.t) {
      case 'chr':
        return push({ k: 'chr', test: node.test, next });
      case 'bol':
        return push({ k: 'bol', next });
      case 'eol':
        return push({ k: 'eol', next });
      case 'cat': {
        let at = next;
        for (let j = node.items.length - 1; j >= 0; j--) at = emit(node.items[j] as Ast, at);
        return at;
      }
      case 'alt': {
        let at = emit(node.items[node.items.length - 1] as Ast, next);
        for (let j = node.items.length - 2; j >= 0; j--) at = push({ k: 'split', a: emit(node.items[j] as Ast, next), b: at });
        return at;
      }
      case 'rep': {
        let at = next;
        if (node.max === Infinity) {
          const loop = push({ k: 'split', a: -1, b: next });
          (states[loop] as { a: number }).a = emit(node.x, loop);
          at = loop;
        } else {
          for (let j = node.min; j < node.max; j++) at = push({ k: 'split', a: emit(node.x, at), b: next });
        }
        for (let j = 0; j < node.min; j++) at = emit(node.x, at);
        return at;
      }
    }
  };
  const start = emit(ast, 0);
  states.push({ k: 'split', a: start, b: start }); // the entry, last
  return states;
}

/**
 * Compile `pattern`; `undefined` when it does not parse or is too large. The matcher answers
 * whether the pattern matches anywhere in a value, case-insensitively.
 */
export function linearRegExp(pattern: string): ((value: string) => boolean) | undefined {
  let states: State[];
  try {
    states = compile(parse(pattern));
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
  const entry = states.length - 1;
  const n = states.length;
  return (value: string): boolean => {
    const chars = Array.from(value);
    const mark = new Int32Array(n).fill(-1);
    let cur: number[] = [];
    let nxt: number[] = [];
    let gen = 0;
    let matched = false;
    // Follow epsilon moves from `s` at input position `pos`, adding character states to `list`.
    const add = (list: number[], s0: number, pos: number): void => {
      const stack = [s0];
      while (stack.length > 0) {
        const s = stack.pop() as number;
        if (mark[s] === gen) continue;
        mark[s] = gen;
        const st = states[s] as State;
        if (st.k === 'match') matched = true;
        else if (st.k === 'split') stack.push(st.b, st.a);
        else if (st.k === 'bol') {
          if (pos === 0) stack.push(st.next);
        } else if (st.k === 'eol') {
          if (pos === chars.length) stack.push(st.next);
        } else list.push(s);
      }
    };
    add(cur, entry, 0);
    for (let pos = 0; pos < chars.length && !matched; pos++) {
      const c = chars[pos] as string;
      gen++;
      nxt = [];
      for (const s of cur) {
        const st = states[s] as { k: 'chr'; test: CharTest; next: number };
        if (st.test(c)) add(nxt, st.next, pos + 1);
      }
      add(nxt, entry, pos + 1); // a match may start at every position
      cur = nxt;
    }
    return matched;
  };
}

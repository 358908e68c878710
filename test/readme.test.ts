/**
 * Every ```ts snippet of README.md is a test: each is type-checked against the sources (as a user's
 * file importing `copernica-rest` would be), and each that is not marked
 * `<!-- readme-test: typecheck-only … -->` runs against a fresh fake Copernica server. Requests
 * for the real API (https://api.copernica.com) are sent to the fake by the global dispatcher; any
 * other destination fails the snippet, so no snippet reaches the network.
 *
 * Snippets may use `client` (a Copernica client for the fake's first account) without defining
 * it; type-check-only snippets may also use `session`, `redirect` and `request` (a web
 * framework's). Everything else a snippet uses it must import, as a reader's file would.
 *
 * The docs that describe the tooling are checked here too: CONTRIBUTING.md's list of what
 * `npm test` runs, and the command in each example's header.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Copernica } from 'copernica-rest';
import { createFakeCopernica } from 'copernica-rest/testing';

const root = resolve(import.meta.dirname, '..');
// One folder per run (inside the repo, so snippets resolve `copernica-rest` through its tsconfig): two
// runs at once must not delete each other's files.
const work = join(root, '.tmp', `readme-snippets-${process.pid}-${Date.now()}`);

interface Snippet {
  /** 1-based line in README.md of the snippet's first code line. */
  line: number;
  code: string;
  run: boolean;
  file: string;
}

/** The ```ts blocks of a markdown text, with the README line each starts on. */
function extractSnippets(markdown: string): Omit<Snippet, 'file'>[] {
  const lines = markdown.split('\n');
  const out: Omit<Snippet, 'file'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const run = !/^<!--\s*readme-test:\s*typecheck-only\b/.test(lines[previous] ?? '');
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`README.md:${i + 1}: a \`\`\`ts block is never closed`);
    out.push({ line: start + 1, code: lines.slice(start, end).join('\n'), run });
    i = end;
  }
  return out;
}

const GLOBALS = `import type { Copernica } from 'copernica-rest';
declare global {
  /** A client for the fake's first account (README snippets may use it without defining it). */
  const client: Copernica;
  /** A web framework's session, request and redirect (type-check-only snippets). */
  const session: Record<string, string>;
  const request: { url: string };
  function redirect(url: string): void;
}
export {};
`;

/** Type-checks files with the repository's compiler options (paths map `copernica-rest` to src/). */
function typeCheck(files: string[]): ts.Diagnostic[] {
  const configPath = join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('cannot read tsconfig.json');
  const program = ts.createProgram({ rootNames: files, options: { ...parsed.options, noEmit: true, incremental: false } });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || files.includes(resolve(d.file.fileName)));
}

function describeDiagnostic(d: ts.Diagnostic, snippets: Snippet[]): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const snippet = snippets.find((s) => s.file === resolve(d.file!.fileName));
  return snippet ? `README.md:${snippet.line + line}:${character + 1}: ${text}` : `${relative(root, d.file.fileName)}:${line + 1}: ${text}`;
}

// README_UNDER_TEST=path checks another file (e.g. an older README, to see these tests fail on it).
const readme = readFileSync(process.env.README_UNDER_TEST ? resolve(process.env.README_UNDER_TEST) : join(root, 'README.md'), 'utf8');
const snippets: Snippet[] = extractSnippets(readme).map((s) => ({ ...s, file: join(work, `readme-line-${s.line}.ts`) }));

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'globals.d.ts'), GLOBALS);
  // `export {}` makes each snippet a module of its own (top-level await, no clashes between snippets).
  for (const s of snippets) writeFileSync(s.file, `${s.code}\nexport {};\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README.md snippets', () => {
  it('has ts snippets, most of them runnable', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    expect(snippets.filter((s) => s.run).length).toBeGreaterThanOrEqual(snippets.length - 2);
    console.log(`readme: ${snippets.length} snippets type-checked, ${snippets.filter((s) => s.run).length} run against the fake`);
  });

  it('every snippet type-checks against the sources, as a user file importing copernica-rest', { timeout: 120_000 }, () => {
    const diagnostics = typeCheck([join(work, 'globals.d.ts'), ...snippets.map((s) => s.file)]);
    expect(diagnostics.map((d) => describeDiagnostic(d, snippets))).toEqual([]);
  });

  for (const snippet of snippets.filter((s) => s.run)) {
    it(`README.md:${snippet.line} runs against the fake server`, async () => {
      const fake = await createFakeCopernica({ seed: 1 });
      const fakeOrigin = new URL(fake.url).origin;
      const elsewhere: string[] = [];
      // The real API's origin is answered by the fake; loopback passes (a snippet may start its own fake).
      const redirecting = new Agent().compose(
        (dispatch: Dispatcher['dispatch']) => (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
          const origin = String(opts.origin);
          if (origin === 'https://api.copernica.com') return dispatch({ ...opts, origin: fakeOrigin }, handler);
          if (/^http:\/\/127\.0\.0\.1:\d+$/.test(origin)) return dispatch(opts, handler);
          elsewhere.push(origin);
          throw new Error(`README snippet tried to reach ${origin}`);
        },
      );
      const previousDispatcher = getGlobalDispatcher();
      const previousToken = process.env.COPERNICA_ACCESS_TOKEN;
      const token = fake.accounts[0]!.token;
      const logs: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
      setGlobalDispatcher(redirecting);
      process.env.COPERNICA_ACCESS_TOKEN = token;
      (globalThis as { client?: Copernica }).client = new Copernica({ accessToken: token, baseUrl: fake.apiUrl });
      try {
        await import(pathToFileURL(snippet.file).href);
        expect(elsewhere).toEqual([]);
        // A snippet that calls the API reached the fake (its own fake counts for the testing snippet).
        if (/\bclient\.\w/.test(snippet.code) && !snippet.code.includes('createFakeCopernica'))
          expect(fake.requests.length).toBeGreaterThan(0);
        if (snippet.code.includes('console.log(')) expect(logs.length).toBeGreaterThan(0);
        if (snippet.code.includes('Connected to ${account.name}')) expect(logs[0]).toBe(`Connected to ${fake.accounts[0]!.name}`);
      } finally {
        log.mockRestore();
        delete (globalThis as { client?: Copernica }).client;
        if (previousToken === undefined) delete process.env.COPERNICA_ACCESS_TOKEN;
        else process.env.COPERNICA_ACCESS_TOKEN = previousToken;
        setGlobalDispatcher(previousDispatcher);
        await redirecting.close();
        await fake.close();
      }
    });
  }
});

describe('extractSnippets', () => {
  it('finds ts blocks with their README line and the typecheck-only marker', () => {
    const md = [
      '# t',
      '```ts',
      'a;',
      '```',
      '',
      '<!-- readme-test: typecheck-only (why) -->',
      '```ts',
      'b;',
      'c;',
      '```',
      '```sh',
      'x',
      '```',
    ].join('\n');
    expect(extractSnippets(md)).toEqual([
      { line: 3, code: 'a;', run: true },
      { line: 8, code: 'b;\nc;', run: false },
    ]);
  });

  it('refuses a block that is never closed', () => {
    expect(() => extractSnippets('```ts\nconst a = 1;\n')).toThrow(/never closed/);
  });
});

describe('docs that describe the tooling', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('CONTRIBUTING.md lists exactly the steps npm test runs, in order', () => {
    const steps = pkg.scripts.test!.split('&&').map((part) => /^npm run ([\w:-]+)$/.exec(part.trim())?.[1] ?? part.trim());
    const contributing = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
    // The numbered list under "What `npm test` runs": each item starts with the script's name in backticks.
    const section = contributing.split(/^## /m).find((s) => s.startsWith('What `npm test` runs'));
    expect(section, 'CONTRIBUTING.md has a section "What `npm test` runs"').toBeDefined();
    const listed = [...section!.matchAll(/^\d+\. `([\w:-]+)`/gm)].map((m) => m[1]);
    expect(listed).toEqual(steps);
  });

  it('the README keeps the two commands CI runs (.ci/run calls exactly these)', () => {
    expect(readme).toContain('```sh\nnpm install\nnpm test\n```');
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm install$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it("each example's header command runs that example through npm run example", () => {
    const files = readdirSync(join(root, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `examples/${f}`);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const header = /^\/\*\*[\s\S]*?\*\//.exec(readFileSync(join(root, file), 'utf8'))?.[0] ?? '';
      const commands = [...header.matchAll(/^ \*\s+(?:\w+=\S+\s+)*((?:node|npm|npx)\b.*)$/gm)].map((m) => m[1]!);
      expect(commands, `${file} has a command in its header`).not.toEqual([]);
      for (const command of commands)
        expect(command, file).toMatch(new RegExp(`^npm run (-s )?example -- ${file.replace(/[.]/g, '\\.')}( |$)`));
    }
  });
});

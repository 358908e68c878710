// Benchmark 4: cost to load. What import('copernica-rest') (dist, by name) adds to a fresh process
// (wall time and peak RSS against a bare node process, interleaved), what making a client and the
// first call cost; the packed tarball's size; and a check that the root entry's module graph does
// not reach the CLI's dependencies (commander, cli-progress, csv-stringify).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fmt, lastJson, median, ROOT, runChild, spread, startFake, timeProcess } from './lib.mjs';

const CLI_DEPS = ['commander', 'cli-progress', 'csv-stringify'];
const IMPORT_RSS_BUDGET_MB = 30;

/** Every bare specifier reachable from a dist file through relative static and dynamic imports. */
function bareImports(entry) {
  const seen = new Set();
  const bare = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  bare.delete('copernica-rest'); // its own name, in doc comments
  return { files: seen.size, bare: [...bare].sort() };
}

const ROUNDS = 15;
const IMPORT_BUDGET_MS = 60;

export async function loadCost() {
  // Fresh processes, interleaved: a bare `node` (bench/child-bare.mjs, no import) and one that imports
  // the package (bench/child-import.mjs), timed from spawn to exit. Their difference is what an
  // import adds to every cold start; the in-process import() time is printed too.
  const bare = [];
  const imp = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [list, script] of i % 2
      ? [
          [bare, 'bench/child-bare.mjs'],
          [imp, 'bench/child-import.mjs'],
        ]
      : [
          [imp, 'bench/child-import.mjs'],
          [bare, 'bench/child-bare.mjs'],
        ]) {
      const r = await timeProcess([script]);
      list.push({ wallMs: r.wallMs, ...lastJson(r.stdout) });
    }
  }
  const bareMs = median(bare.map((r) => r.wallMs));
  const importWallMs = median(imp.map((r) => r.wallMs));
  const aboveMs = importWallMs - bareMs;
  const importMs = median(imp.map((r) => r.ms));
  const bareRss = median(bare.map((r) => r.peakRssMb));
  const importRss = median(imp.map((r) => r.peakRssMb));
  const firstClientMs = median(imp.map((r) => r.firstClientMs));
  const clientUs = median(imp.map((r) => r.clientUs));

  // The first call against the fake, and the ones after it (one process per sample, 5 samples).
  const fake = await startFake({ profiles: 1000 });
  const calls = [];
  try {
    for (let i = 0; i < 5; i++) calls.push(await runChild('./child-first-call.mjs', [fake.apiUrl, fake.token, String(fake.databaseId)]));
  } finally {
    await fake.stop();
  }
  const c = (k) => median(calls.map((r) => r[k]));

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--dry-run', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  )[0];
  const graph = bareImports(join(ROOT, 'dist/index.js'));
  const cliDepsReached = graph.bare.filter((s) => CLI_DEPS.some((d) => s === d || s.startsWith(`${d}/`)));
  const lines = [
    `  bare node process          median ${fmt(bareMs, 1)} ms wall (${spread(bare.map((r) => r.wallMs))}), peak RSS ${fmt(bareRss, 1)} MB`,
    `  node + import(package)     median ${fmt(importWallMs, 1)} ms wall (${spread(imp.map((r) => r.wallMs))}), peak RSS ${fmt(importRss, 1)} MB`,
    `  import above bare node     ${fmt(aboveMs, 1)} ms (in-process import() median ${fmt(importMs, 1)} ms, ${spread(imp.map((r) => r.ms))}); ${ROUNDS} fresh processes each, interleaved`,
    `  new Copernica()            first ${fmt(firstClientMs, 2)} ms, then ${fmt(clientUs, 1)} µs each (median)`,
    `  first identity.get()       ${fmt(c('firstCallMs'), 1)} ms (loads undici, builds its model); later calls ${fmt(c('laterCallMs'), 2)} ms each (median)`,
    `  first 100-profile page     ${fmt(c('firstPageMs'), 1)} ms; later pages ${fmt(c('laterPageMs'), 2)} ms each (median)`,
    `  npm pack                   ${fmt(pack.size / 1024, 1)} kB packed, ${fmt(pack.unpackedSize / 1024, 1)} kB unpacked, ${pack.entryCount} files`,
    `  dist/index.js graph        ${graph.files} files; bare imports: ${graph.bare.join(', ')}`,
  ];
  const rows = [
    `| bare \`node\` process (no import), median of ${ROUNDS} | ${fmt(bareMs, 1)} ms wall, peak RSS ${fmt(bareRss, 1)} MB |`,
    `| \`node\` + \`import('copernica-rest')\`, median of ${ROUNDS} (interleaved) | ${fmt(importWallMs, 1)} ms wall (**${fmt(aboveMs, 1)} ms above bare**), peak RSS ${fmt(importRss, 1)} MB |`,
    `| import() inside the process | ${fmt(importMs, 1)} ms (${spread(imp.map((r) => r.ms))}) |`,
    `| \`new Copernica()\` | first ${fmt(firstClientMs, 2)} ms, then ${fmt(clientUs, 1)} µs |`,
    `| first \`identity.get()\` of a process / later calls | ${fmt(c('firstCallMs'), 1)} ms / ${fmt(c('laterCallMs'), 2)} ms |`,
    `| first 100-profile page / later pages | ${fmt(c('firstPageMs'), 1)} ms / ${fmt(c('laterPageMs'), 2)} ms |`,
    `| packed tarball (npm pack) | ${fmt(pack.size / 1024, 1)} kB (${fmt(pack.unpackedSize / 1024, 1)} kB unpacked, ${pack.entryCount} files) |`,
    `| root entry's module graph | ${graph.files} dist files; external imports: ${graph.bare.map((b) => `\`${b}\``).join(', ')} |`,
  ];
  const targets = [
    {
      what: `importing costs ≤ ${IMPORT_BUDGET_MS} ms more than a bare node start (median of fresh processes)`,
      value: `${fmt(aboveMs, 1)} ms`,
      met: aboveMs <= IMPORT_BUDGET_MS,
    },
    {
      what: `peak RSS of a process that only imported the SDK ≤ bare node + ${IMPORT_RSS_BUDGET_MB} MB (set here; was 90 MB, +48 MB)`,
      value: `${fmt(importRss, 1)} MB (+${fmt(importRss - bareRss, 1)} MB)`,
      met: importRss - bareRss <= IMPORT_RSS_BUDGET_MB,
    },
    {
      what: 'creating a client adds no measurable time (first new Copernica() < 1 ms, set here)',
      value: `${fmt(firstClientMs, 2)} ms`,
      met: firstClientMs < 1,
    },
    {
      what: 'root entry imports no CLI dependency (commander, cli-progress, csv-stringify)',
      value: cliDepsReached.length ? cliDepsReached.join(', ') : 'none',
      met: cliDepsReached.length === 0,
    },
    { what: 'packed tarball < 1 MB (target set here)', value: `${fmt(pack.size / 1024, 1)} kB`, met: pack.size < 1024 * 1024 },
  ];
  return { title: 'Cost to load', lines, rows, targets };
}

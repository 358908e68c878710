// Benchmark 4: cost to load. Time to import('copernica-rest') (dist, by name) in a fresh process,
// median of 10; the packed tarball's size; and a check that the root entry's module graph does not
// reach the CLI's dependencies (commander, cli-progress, csv-stringify).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fmt, median, ROOT, runChild } from './lib.mjs';

const CLI_DEPS = ['commander', 'cli-progress', 'csv-stringify'];

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

export async function loadCost() {
  const times = [];
  for (let i = 0; i < 10; i++) times.push((await runChild('./child-import.mjs')).ms);
  const importMs = median(times);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = JSON.parse(execFileSync(npm, ['pack', '--json', '--dry-run', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
  const graph = bareImports(join(ROOT, 'dist/index.js'));
  const cliDepsReached = graph.bare.filter((s) => CLI_DEPS.some((d) => s === d || s.startsWith(`${d}/`)));
  const lines = [
    `  import('copernica-rest')   median ${fmt(importMs, 1)} ms of 10 fresh processes (min ${fmt(Math.min(...times), 1)}, max ${fmt(Math.max(...times), 1)})`,
    `  npm pack                   ${fmt(pack.size / 1024, 1)} kB packed, ${fmt(pack.unpackedSize / 1024, 1)} kB unpacked, ${pack.entryCount} files`,
    `  dist/index.js graph        ${graph.files} files; bare imports: ${graph.bare.join(', ')}`,
  ];
  const rows = [
    `| import('copernica-rest'), fresh process, median of 10 | ${fmt(importMs, 1)} ms |`,
    `| packed tarball (npm pack) | ${fmt(pack.size / 1024, 1)} kB (${fmt(pack.unpackedSize / 1024, 1)} kB unpacked, ${pack.entryCount} files) |`,
    `| root entry's module graph | ${graph.files} dist files; external imports: ${graph.bare.map((b) => `\`${b}\``).join(', ')} |`,
  ];
  const targets = [
    { what: 'import time < 150 ms (target set here)', value: `${fmt(importMs, 1)} ms`, met: importMs < 150 },
    { what: 'root entry imports no CLI dependency (commander, cli-progress, csv-stringify)', value: cliDepsReached.length ? cliDepsReached.join(', ') : 'none', met: cliDepsReached.length === 0 },
    { what: 'packed tarball < 1 MB (target set here)', value: `${fmt(pack.size / 1024, 1)} kB`, met: pack.size < 1024 * 1024 },
  ];
  return { title: 'Cost to load', lines, rows, targets };
}

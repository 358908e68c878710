// Benchmark 7: start-up of the `copernica` CLI (dist/cli.js), fresh processes timed from spawn to
// exit, as a shell user waits for them: `--help`, a command's `--help`, and `copernica identity`
// against the fake (its own process). Interleaved rounds; a bare `node` process is the reference.
import { fmt, median, spread, startFake, timeProcess } from './lib.mjs';

const ROUNDS = 11;

export async function cliStart() {
  const fake = await startFake({ profiles: 100 });
  const env = {
    ...process.env,
    COPERNICA_ACCESS_TOKEN: fake.token,
    COPERNICA_BASE_URL: fake.apiUrl,
    COPERNICA_CONFIG: '/nonexistent/copernica-bench/',
  };
  const runs = {
    'node (bare, reference)': ['bench/child-bare.mjs'],
    'copernica --help': ['dist/cli.js', '--help'],
    'copernica profiles export --help': ['dist/cli.js', 'profiles', 'export', '--help'],
    'copernica identity (fake)': ['dist/cli.js', 'identity'],
  };
  const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(runs);
      for (const name of round % 2 ? names.reverse() : names) samples[name].push((await timeProcess(runs[name], { env })).wallMs);
    }
  } finally {
    await fake.stop();
  }
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const lines = Object.entries(samples).map(([k, v]) => `  ${k.padEnd(34)} median ${fmt(med[k], 1).padStart(6)} ms wall (${spread(v)})`);
  const rows = Object.entries(samples).map(([k, v]) => `| \`${k}\` | ${fmt(med[k], 1)} ms | ${spread(v)} ms |`);
  const targets = [
    { what: '`copernica --help` < 100 ms wall', value: `${fmt(med['copernica --help'], 1)} ms`, met: med['copernica --help'] < 100 },
    {
      what: '`copernica <command> --help` < 100 ms wall',
      value: `${fmt(med['copernica profiles export --help'], 1)} ms`,
      met: med['copernica profiles export --help'] < 100,
    },
    {
      what: '`copernica identity` against the fake < 250 ms wall',
      value: `${fmt(med['copernica identity (fake)'], 1)} ms`,
      met: med['copernica identity (fake)'] < 250,
    },
  ];
  return { title: 'CLI start-up', lines, rows, targets };
}

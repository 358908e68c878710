/**
 * The export progress bar (cli-progress) on stderr, drawn ONLY when stderr is a terminal; otherwise
 * a no-op, so pipes and logs stay clean.
 */
import type { ErrorStream } from './context.js';

export interface Progress {
  tick(): void;
  stop(): void;
}

const QUIET: Progress = { tick: () => undefined, stop: () => undefined };

/** A bar counting to `total` (unknown: a plain counter) on `stream` if it is a TTY, else nothing. */
export async function createProgress(stream: ErrorStream, total: number | undefined, label = 'profiles'): Promise<Progress> {
  if (stream.isTTY !== true) return QUIET;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        total === undefined
          ? `{value} ${label} | {duration_formatted}`
          : `[{bar}] {percentage}% | {value}/{total} ${label} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0);
  let value = 0;
  return {
    tick: () => {
      value++;
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}

// How long something took, by one rule wherever the operator reads it: the screen, the resume notes, the report and
// the metrics. Under a minute to the tenth of a second (a block's run time matters at that grain), then to the second,
// then to the minute. GitHub's and Kubernetes' own ages (github/pipeline.ts, kube/pod-status.ts) keep the format of
// gh and kubectl instead, so the panes read like the tools the operator already knows.

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `850 ms`, `4.2 s`, `12m05s`, `3h02m`; `—` when unknown. `spaced` parts them (`12m 05s`) for the report and the
 * metrics, which are read as prose and tables; the screen keeps them packed, where every column counts.
 */
export function formatDuration(ms: number | null, {spaced = false}: {spaced?: boolean} = {}): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  // A clock stepped back between start and end must not show a negative time.
  const positive = Math.max(0, ms);
  if (positive < 1000) return `${Math.round(positive)} ms`;
  if (positive < 60_000) return `${(positive / 1000).toFixed(1)} s`;
  const gap = spaced ? ' ' : '';
  const s = Math.round(positive / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${gap}${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${gap}${pad(Math.floor((s % 3600) / 60))}m`;
}

// The pipeline pane as lines fitted to a width: the title with the data's freshness, one line per
// job (gh's icon, the name, the duration or the approval marker on the right) and the run's outcome
// line. Pure, so it can be tested without Ink. When the height is short the jobs give way, keeping
// the ones in progress in sight; the title and the outcome line stay.

import {padEnd, truncate, width as textWidth, wrapWords} from '../text.js';
import type {PaneLine, PaneTone} from '../cluster/pane-lines.js';
import {titleLine} from '../cluster/pods-lines.js';
import type {PipelineJob, PipelineRun, PipelineSnapshot} from './pipeline-snapshot.js';

export const WAITING_MARK = '⏸ approval';

export function pipelineTitle(snapshot: Pick<PipelineSnapshot, 'run' | 'following'>): string {
  const latest = snapshot.following.kind === 'latest' ? ` · latest on ${snapshot.following.branch ?? 'the default branch'}` : '';
  if (!snapshot.run) return `PIPELINE${latest}`;
  return `PIPELINE ${snapshot.run.name} · #${snapshot.run.number}${latest}`;
}

export function jobLine(job: PipelineJob, width: number): PaneLine {
  const running = !job.waiting && job.duration && job.status !== 'completed';
  const right = job.waiting ? WAITING_MARK : running ? `${job.duration}…` : job.duration;
  const rightWidth = textWidth(right);
  const nameRoom = Math.max(0, width - 2 - (right ? rightWidth + 1 : 0));
  if (nameRoom < 4) return [{text: truncate(`${job.icon} ${job.name}`, width), tone: job.tone}];
  const name = padEnd(truncate(job.name, nameRoom), nameRoom);
  return [
    {text: `${job.icon} `, tone: job.tone, bold: job.tone === 'error'},
    {text: name},
    ...(right ? [{text: ' '}, {text: right, tone: (job.waiting ? 'warn' : 'muted') as PaneTone, bold: job.waiting}] : []),
  ];
}

/** The run's state in words: `✓ success in 4m2s`, `⏸ waiting for approval: production`, `* in progress 1m5s`. */
export function outcomeLine(run: PipelineRun, width: number): PaneLine {
  let text: string;
  let tone: PaneTone;
  if (run.status === 'completed') {
    const ok = run.conclusion === 'success';
    const skipped = run.conclusion === 'skipped' || run.conclusion === 'neutral';
    text = `${ok ? '✓' : skipped ? '-' : 'X'} ${run.conclusion ?? 'completed'} in ${run.duration}`;
    tone = ok ? 'good' : skipped ? 'muted' : 'error';
  } else if (run.waitingOn) {
    text = `⏸ waiting for approval: ${run.waitingOn}`;
    tone = 'warn';
  } else {
    text = `* ${run.status.replace(/_/g, ' ')}${run.status === 'queued' ? '' : ` ${run.duration}`}`;
    tone = 'warn';
  }
  return [{text: truncate(text, width), tone, bold: true}];
}

/** Which jobs fit in `room` rows: from one before the first unfinished job, so progress stays visible. */
export function jobWindow(jobs: readonly PipelineJob[], room: number): {offset: number; rows: PipelineJob[]} {
  if (room <= 0) return {offset: 0, rows: []};
  if (jobs.length <= room) return {offset: 0, rows: [...jobs]};
  const active = jobs.findIndex(j => j.status !== 'completed');
  const want = active < 0 ? jobs.length - room : active - 1;
  const offset = Math.max(0, Math.min(jobs.length - room, want));
  return {offset, rows: jobs.slice(offset, offset + room)};
}

function message(text: string, width: number, tone: PaneTone, max: number): PaneLine[] {
  return wrapWords(text, width).slice(0, Math.max(0, max)).map(l => [{text: truncate(l, width), tone}]);
}

export function pipelinePaneLines(snapshot: PipelineSnapshot, width: number, height: number): PaneLine[] {
  if (width <= 0 || height <= 0) return [];
  const title = titleLine(pipelineTitle(snapshot), snapshot.configured ? snapshot.freshness.label : '', width, snapshot.freshness.tone);
  const lines: PaneLine[] = [title];
  const run = snapshot.run;
  if (!snapshot.configured) return [...lines, ...message('GitHub not configured: set GH_TOKEN or GITHUB_TOKEN (or gh auth login).', width, 'muted', height - 1)];
  if (!run) {
    const f = snapshot.following;
    const of = f.workflow ? ` of ${f.workflow}` : '';
    const waiting = f.kind === 'commit'
      ? `waiting for the run${of} of commit ${f.sha.slice(0, 7)}…`
      : `looking for the newest run${of} on ${f.branch ?? 'the default branch'}…`;
    return [...lines, ...message(snapshot.error ?? waiting, width, snapshot.error ? 'error' : 'muted', height - 1)];
  }
  // A poll error with data on screen: one line saying why the data may be behind, if there is room.
  const error = snapshot.error && height >= 4 ? message(snapshot.error, width, 'error', 1) : [];
  const room = height - 1 - 1 - error.length;
  const win = jobWindow(snapshot.jobs, room);
  let spare = room - win.rows.length;
  for (const job of win.rows) {
    lines.push(jobLine(job, width));
    for (const st of job.steps ?? []) {
      if (spare <= 0) break;
      lines.push([{text: truncate(`    ${st.icon} ${st.name}${st.duration ? `  ${st.duration}` : ''}`, width), tone: st.tone}]);
      spare--;
    }
  }
  if (snapshot.jobs.length === 0 && room > 0) lines.push([{text: truncate('no jobs yet', width), tone: 'muted'}]);
  lines.push(...error);
  if (height >= 2) lines.push(outcomeLine(run, width));
  return lines.slice(0, height);
}

// The report as a markdown document, to paste into a post-mortem or attach to a change ticket. Times are local
// with their UTC offset: the reader is often in another timezone than the operator, and a bare "14:02" misleads.

import type {Actor, Context} from './events.js';
import {runFailed, type IncidentFacts, type Report, type ReportEntry} from './report.js';
import {foundNoTrouble, stopNote} from './run-outcome.js';
import {formatDuration} from '../terminal/duration.js';
import {safeText} from '../terminal/safe-text.js';

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** `2025-03-01 15:02:07 +01:00` in the process's timezone (TZ). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** `850 ms`, `4.2 s`, `12m 05s`, `3h 02m`: spaced, as the report is read as prose and tables. */
export const reportDuration = (ms: number | null) => formatDuration(ms, {spaced: true});

const who = (a: Actor | null) => (a ? `${a.user}@${a.host}` : 'unknown');

export function describeContext(c: Context): string {
  const parts = [c.kubeContext && `context ${c.kubeContext}`, c.namespace && `namespace ${c.namespace}`, c.repository && `repository ${c.repository}`];
  return parts.filter(Boolean).join(', ') || 'none recorded';
}

/** Table cells: one line, pipes escaped, so a command like `a | b` does not split the row. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
/** Inline code that survives backticks in the command. */
const code = (text: string) => {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
};

/**
 * The first command of a multi-line script as inline code (not the comment a block opens with, which says what it is
 * for, not what ran), and how many lines were left out (the json has them).
 */
export function codeHead(command: string): string {
  const lines = command.split('\n');
  if (lines.length === 1) return code(command);
  const first = lines.find(l => l.trim() && !l.trim().startsWith('#'))?.trim() ?? (lines[0] as string);
  return `${code(first)} (+${lines.length - 1} more lines)`;
}

function outcome(e: Extract<ReportEntry, {kind: 'run'}>): string {
  if (e.finishedAt === null) return e.recovered ?? 'no exit recorded (interrupted)';
  if (e.cancelled) return e.recovered ?? 'cancelled';
  if (e.recovered) return e.recovered;
  if (e.signal) return `killed by ${e.signal}`;
  if (e.error) return `could not run: ${e.error}`;
  const note = foundNoTrouble(e.command, e) ? ' (the search found nothing: no errors)' : stopNote(e.command, e) ? ` (${stopNote(e.command, e)})` : '';
  return `exit ${e.exitCode ?? '?'}${note}`;
}

function line(e: ReportEntry): string {
  const step = e.step ? ` — ${e.step}` : '';
  switch (e.kind) {
    case 'session-started':
      return `Session started by ${who(e.by)}${e.mode ? ` (${e.mode})` : ''}`;
    case 'run':
      return `Ran ${e.native ? `natively (${e.native}) ` : ''}${codeHead(e.command)}: ${outcome(e)}, ${reportDuration(e.durationMs)}, by ${who(e.by)}${step}`;
    case 'check':
      return `${e.checked ? 'Ticked' : 'Unticked'} “${e.item}”${step}`;
    case 'step-marked':
      if (e.status === 'skipped') return `Skipped${step}: ${e.reason || 'no reason given'}`;
      // A step whose purpose the app saw met says what met it: "done by m: Opened #12 …", "assessed: none … holds".
      if (e.status === 'done' && e.doneBy) return `Done${step} (${e.reason})`;
      if (e.status === 'done') return `Marked done by hand${step}: ${e.reason || 'no reason given'}`;
      return `Reset to not started${step}${e.reason ? `: ${e.reason}` : ''}`;
    case 'note':
      return `Note${step}: ${e.text}`;
    case 'incident':
      return e.phase === 'detected' ? `Failure detected (${e.source ?? 'seen'}): ${e.what}` : `Incident resolved: ${e.what}`;
    case 'refused':
      return `Refused a dangerous block (${e.blockId})${step}: ${e.reason}`;
    case 'variable':
      return `Set ${e.name} = ${e.secret ? e.value : code(e.value)}`;
    case 'placeholder':
      return `Filled placeholder ${code(e.text)} with ${code(e.value)}`;
    case 'shell': {
      const env = Object.entries(e.env).map(([k, v]) => (v === null ? `unset ${k}` : `${k}=${v}`));
      // A plain variable the block exported is in env: not also "unset" here.
      const vars = Object.entries(e.vars ?? {}).filter(([k, v]) => v !== null || !(k in e.env)).map(([k, v]) => (v === null ? `unset ${k}` : `${k}=${v}`));
      return `Shell: cwd ${e.cwd}${env.length ? `; ${env.join(', ')}` : ''}${vars.length ? `; not exported: ${vars.join(', ')}` : ''}`;
    }
    case 'context':
      return `Now aimed at ${describeContext(e.context)}`;
  }
}

export function formatReportMarkdown(r: Report): string {
  const out: string[] = [];
  const p = r.progress;
  out.push(`# ${r.runbook.title} — session ${r.id}`, '');
  const runbookNote = !r.runbook.available ? ' (file no longer readable: step titles are ids)' : r.runbook.changed ? ' (edited since this session)' : '';
  const rows: Array<[string, string]> = [
    ['Kind', r.kind],
    ['Runbook', `${r.runbook.path}, hash ${r.runbook.hash.slice(0, 12)}${runbookNote}`],
    ['Operator', r.actors.map(who).join(', ') || 'unknown'],
    ['Aimed at', describeContext(r.context)],
    ['Started', localTime(r.startedAt)],
    [r.finished ? 'Finished' : 'Last update (not finished)', localTime(r.endedAt)],
    ['Duration', reportDuration(r.durationMs)],
    ['Checklist', `${p.checked}/${p.total ?? '?'} ticked`],
    ['Steps', `${p.stepsDone} done, ${p.failed} failed, ${p.skipped} skipped${p.steps !== null ? ` of ${p.steps}` : ''}`],
    ['Commands', `${r.runs.total} run, ${r.runs.failed} failed`],
  ];
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), '');

  if (r.incident) out.push(...incidentSection(r.incident));

  const runs = r.entries.filter((e): e is Extract<ReportEntry, {kind: 'run'}> => e.kind === 'run');
  out.push('## Commands', '');
  if (runs.length === 0) out.push('No commands were run.', '');
  else {
    out.push('| # | Started | Step | Command | Result | Duration | By |', '|---|---|---|---|---|---|---|');
    runs.forEach((e, n) =>
      out.push(`| ${n + 1} | ${localTime(e.at)} | ${cell(e.step ?? '')} | ${cell(`${e.native ? `natively (${e.native}) ` : ''}${codeHead(e.command)}`)} | ${cell(outcome(e))} | ${reportDuration(e.durationMs)} | ${who(e.by)} |`),
    );
    out.push('');
  }

  out.push(...messagesSection(r.entries));
  out.push('## Timeline', '');
  for (const e of r.entries) {
    out.push(`- ${localTime(e.at)} — ${line(e)}`);
    // The last lines of a failed run's output (already redacted by the store): the first thing a post-mortem asks.
    if (e.kind === 'run' && runFailed(e) && e.tail.length) {
      // A document, not a terminal: the output's colour codes are left out (they would show as ␛[31m).
      out.push('', '  ````', ...e.tail.slice(-5).map(t => `  ${safeText(t, {output: true, keep: '\t'})}`), '  ````', '');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** The messages filled from the session and copied, as sent: what the channel was told, and when. */
function messagesSection(entries: readonly ReportEntry[]): string[] {
  const sent = entries.filter((e): e is Extract<ReportEntry, {kind: 'note'}> => e.kind === 'note' && e.message !== undefined);
  if (sent.length === 0) return [];
  const out = ['## Messages sent', ''];
  for (const e of sent) {
    out.push(`${localTime(e.at)} — ${e.step ?? ''}, by ${who(e.by)}:`, '', '````', ...(e.message ?? '').split('\n').map(l => safeText(l, {output: true, keep: '\t'})), '````', '');
  }
  return out;
}

/** The incident's phases, each time counted from its first sign (the detection, else the declaration). */
function incidentSection(i: IncidentFacts): string[] {
  const since = (ms: number | null) => (ms === null ? '' : ` (+${reportDuration(ms)})`);
  const out = ['## Incident', ''];
  out.push(i.detectedAt ? `- Detected: ${localTime(i.detectedAt)} — ${i.detected ?? 'failure seen'}` : '- Detected: not by the app (declared first)');
  out.push(i.declaredAt ? `- Declared: ${localTime(i.declaredAt)}${i.severity ? ` as ${i.severity}` : ''}${since(i.timeToDetectMs)}` : '- Declared: not declared');
  if (i.mitigatedAt) out.push(`- Mitigated: ${localTime(i.mitigatedAt)} by ${i.mitigatedBy?.startsWith('step ') ? i.mitigatedBy : codeHead(i.mitigatedBy ?? '')}${since(i.timeToMitigateMs)}`);
  else out.push('- Mitigated: not recorded (no successful rollback in this session)');
  out.push(i.resolvedAt ? `- Resolved: ${localTime(i.resolvedAt)} — ${i.resolution ?? ''}${since(i.timeToResolveMs)}` : '- Resolved: not yet (X resolves it, with a note)');
  const from = i.detectedAt && (!i.declaredAt || i.detectedAt <= i.declaredAt) ? 'the detection' : 'the declaration';
  out.push('', `Counted from ${from}, ${localTime(i.startedAt)}:`, '');
  out.push(`- Time to detect (first sign → declared): ${i.declaredAt ? reportDuration(i.timeToDetectMs) : '—'}`);
  out.push(`- Time to mitigate (time to recovery): ${i.mitigatedAt ? reportDuration(i.timeToMitigateMs) : '—'}`);
  out.push(`- Time to resolve: ${i.resolvedAt ? reportDuration(i.timeToResolveMs) : '—'}`, '');
  return out;
}

// The incident severity levels an operator picks from: the runbook's own table when it has one (rows naming
// P0–P3 or SEV1–SEV4 / SEV-1 with what each means and how fast to respond), else the default below, which the
// README documents. Pure: read from the parsed model.

import type {Content, RunbookNode} from './model.js';
import {walkSteps} from './walk.js';

export interface SeverityLevel {
  /** As the runbook writes it, emphasis removed: `P1`, `SEV2`, `SEV-3`. */
  level: string;
  description: string;
  responseTime: string;
  example: string;
}

export interface SeverityTable {
  levels: SeverityLevel[];
  /** The runbook's own table, or the default. */
  source: 'runbook' | 'default';
}

/** When a runbook has no severity table: the common P0–P3 scale. */
export const DEFAULT_SEVERITY_LEVELS: readonly SeverityLevel[] = [
  {level: 'P0', description: 'Complete outage', responseTime: '15 minutes', example: 'Service down for all users'},
  {level: 'P1', description: 'Major degradation', responseTime: '30 minutes', example: 'Core feature failing or high error rate'},
  {level: 'P2', description: 'Partial outage', responseTime: '4 hours', example: 'One feature broken, a workaround exists'},
  {level: 'P3', description: 'Minor issue', responseTime: '1 business day', example: 'Cosmetic problem, no user impact'},
];

const LEVEL = /^(?:P([0-4])|SEV[-\s]?([0-5]))$/i;
const plain = (cell: string) => cell.replace(/[*_`]/g, '').trim();

/** The level a cell names, as written (emphasis removed), or null. */
function levelIn(cell: string): string | null {
  const text = plain(cell);
  return LEVEL.test(text) ? text.replace(/\s+/g, '') : null;
}

/** The number a level stands for: P1 and SEV1 are 1. */
export function severityNumber(level: string): number | null {
  const m = LEVEL.exec(plain(level).replace(/\s+/g, ''));
  return m ? Number(m[1] ?? m[2]) : null;
}

const family = (level: string) => (/^P/i.test(level) ? 'P' : 'SEV');

export function severityTable(runbook: {sections: RunbookNode[]}): SeverityTable {
  for (const step of walkSteps(runbook)) {
    for (const table of tablesIn(step.content)) {
      const levels = levelsOf(table);
      if (levels) return {levels, source: 'runbook'};
    }
  }
  return {levels: DEFAULT_SEVERITY_LEVELS.map(l => ({...l})), source: 'default'};
}

type Table = Extract<Content, {type: 'table'}>;

function tablesIn(content: readonly Content[]): Table[] {
  return content.flatMap(c => (c.type === 'table' ? [c] : c.type === 'quote' ? tablesIn(c.children) : c.type === 'list' ? c.items.flatMap(i => tablesIn(i.children)) : []));
}

/** A severity table: one column names a level in at least two rows, all of one scale (P… or SEV…). */
function levelsOf(table: Table): SeverityLevel[] | null {
  const width = Math.max(table.header.length, ...table.rows.map(r => r.length));
  let column = -1;
  for (let i = 0; i < width && column < 0; i++) if (table.rows.filter(r => levelIn(r[i] ?? '')).length >= 2) column = i;
  if (column < 0) return null;
  const rows = table.rows.filter(r => levelIn(r[column] ?? ''));
  if (new Set(rows.map(r => family(levelIn(r[column]!)!))).size > 1) return null;
  const header = (name: RegExp) => table.header.findIndex((h, i) => i !== column && name.test(h));
  const response = header(/respon|acknowledg|\back\b|\bsla\b|time|within/i);
  const example = header(/example|e\.g\./i);
  const describedAt = header(/descri|meaning|impact|definition|criteria|summary|what|name|severity/i);
  // Without a header that says so, the first other column that is not the response time or the example.
  const description = describedAt >= 0 ? describedAt : [...Array(width).keys()].find(i => i !== column && i !== response && i !== example) ?? -1;
  const cell = (row: string[], i: number) => (i >= 0 ? plain(row[i] ?? '') : '');
  return rows.map(r => ({level: levelIn(r[column]!)!, description: cell(r, description), responseTime: cell(r, response), example: cell(r, example)}));
}

/**
 * The level an operator means, among these: `1`, `p1`, `P1`, `sev1`, `SEV-1` and `sev 1` all name the level numbered 1
 * when the scale has it; a P level does not stand for a SEV one. Null when none matches.
 */
export function matchSeverity(input: string, levels: readonly SeverityLevel[]): string | null {
  const text = input.trim().replace(/\s+/g, '');
  if (/^\d$/.test(text)) return levels.find(l => severityNumber(l.level) === Number(text))?.level ?? null;
  const number = severityNumber(text);
  if (number === null) return null;
  return levels.find(l => severityNumber(l.level) === number && family(l.level) === family(text))?.level ?? null;
}

/** `P0, P1, P2 or P3`. */
export function levelList(levels: readonly SeverityLevel[]): string {
  const names = levels.map(l => l.level);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/** A severity level named in free text (an incident note): `P1`, `SEV2`, `SEV-3`. */
export const SEVERITY_IN_TEXT = /\b(?:P[0-4]|SEV-?[0-5])\b/i;

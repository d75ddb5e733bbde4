// Turns a fenced code block into a Block: what kind it is, what it would run, whether it is dangerous.

import {confirmationFor, dangersOf, isInteractive} from './danger.js';
import type {Block, BlockKind, Placeholder} from './model.js';
import {scanShell, unquote, type ScannedCommand} from './shell-scan.js';
import {isPlaceholderValue, placeholderTokens} from './variables.js';

const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'fish']);
const SESSION = new Set(['console', 'shell-session', 'shellsession', 'terminal', 'sh-session', 'bash-session']);
const OUTPUT = new Set(['output', 'stdout', 'result', 'log', 'logs']);
const PLAIN = new Set(['', 'text', 'txt', 'plaintext', 'plain', 'markdown', 'md']);
const CONFIG = new Set([
  'yaml', 'yml', 'json', 'jsonc', 'json5', 'toml', 'ini', 'cfg', 'conf', 'hcl', 'tf', 'xml', 'properties', 'env',
  'dotenv', 'nginx', 'dockerfile', 'docker', 'csv',
]);

/** Parses Runme/rundown-style fence attributes: `{name=deploy interactive=true}` or `{"name":"deploy"}`. */
export function parseAttributes(meta: string | null | undefined): Record<string, string> {
  const text = (meta ?? '').trim();
  const out: Record<string, string> = {};
  const braced = /\{(.*)\}/.exec(text)?.[1];
  if (braced === undefined) {
    for (const word of text.split(/\s+/)) if (word) out[word.replace(/=.*/, '')] = word.includes('=') ? word.split('=')[1]! : 'true';
    return out;
  }
  try {
    const parsed = JSON.parse(`{${braced}}`) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) out[k] = String(v);
    return out;
  } catch {
    for (const m of braced.matchAll(/([\w-]+)(?:=("[^"]*"|'[^']*'|[^\s,]+))?/g)) out[m[1]!] = (m[2] ?? 'true').replace(/^["']|["']$/g, '');
    return out;
  }
}

const truthy = (v: string | undefined) => v !== undefined && v !== 'false' && v !== '0';

function kindOf(lang: string, attributes: Record<string, string>, context: string): BlockKind {
  if (truthy(attributes.ignore) || truthy(attributes.norun) || truthy(attributes.excludeFromRunAll)) return 'template';
  if (SHELL.has(lang) || SESSION.has(lang)) return 'command';
  if (OUTPUT.has(lang) || truthy(attributes.output) || truthy(attributes.expected)) return 'output';
  if (CONFIG.has(lang)) return 'config';
  if (PLAIN.has(lang)) return /\b(expected|example)?\s*output\b|\bshould (print|show|return|see)\b|\bexpected:?\s*$/i.test(context) ? 'output' : 'template';
  return 'code';
}

/** `$ cmd` lines of a console transcript (with `\` and `> ` continuations); output lines are not commands. */
function sessionScript(code: string): string {
  const out: string[] = [];
  let continuing = false;
  for (const line of code.split('\n')) {
    const prompt = /^\s*(?:[\w@.:~/-]*)?\$\s(.*)$/.exec(line);
    if (prompt && !continuing) {
      out.push(prompt[1]!);
    } else if (continuing) {
      out.push(line.replace(/^>\s?/, ''));
    } else continue;
    continuing = /\\\s*$/.test(out[out.length - 1]!);
  }
  return out.join('\n');
}

export interface BuiltBlock {
  block: Block;
  scanned: ScannedCommand[];
}

/** A block longer than this is shown but never analysed or run: no runbook step is a 20,000-line script. */
export const MAX_BLOCK_LINES = 20_000;

export function buildBlock(id: string, lang: string | null | undefined, meta: string | null | undefined, code: string, line: number, context: string): BuiltBlock {
  const language = (lang ?? '').toLowerCase();
  const attributes = parseAttributes(meta);
  const tooLong = lineCount(code) > MAX_BLOCK_LINES;
  const kind = tooLong ? 'code' : kindOf(language, attributes, context);
  const script = kind === 'command' ? (SESSION.has(language) ? sessionScript(code) : code) : '';
  const scanned = kind === 'command' ? scanShell(script) : [];
  const commands = scanned.map(c => c.text);
  const dangers = [...new Set(commands.flatMap(dangersOf))];
  const setSoFar = new Set<string>();
  const uses: string[] = [];
  for (const c of scanned.flatMap(command => command.parts)) {
    for (const r of c.reads) if (r.name && !r.hasDefault && !setSoFar.has(r.name) && !uses.includes(r.name)) uses.push(r.name);
    for (const a of c.assigns) setSoFar.add(a.name);
  }
  const block: Block = {
    id,
    lang: language,
    attributes,
    code,
    kind,
    commands,
    dangerous: dangers.length > 0,
    dangers,
    confirm: dangers.length > 0 ? confirmationFor(commands) : null,
    interactive: kind === 'command' && (truthy(attributes.interactive) || commands.some(isInteractive)),
    uses,
    sets: [...setSoFar],
    placeholders: placeholdersOf(scanned),
    line,
  };
  return {block, scanned};
}

/** The script the runner executes for a command block: console transcripts lose their prompts and output. */
export function scriptOf(block: Block): string {
  return SESSION.has(block.lang) ? sessionScript(block.code) : block.code;
}

function placeholdersOf(scanned: ScannedCommand[]): Placeholder[] {
  const out: Placeholder[] = [];
  const add = (p: Placeholder) => {
    if (p.text && !out.some(o => o.text === p.text)) out.push(p);
  };
  for (const command of scanned) {
    for (const a of command.assigns) {
      const value = unquote(a.value);
      if (isPlaceholderValue(value)) add({text: value, variable: a.name});
    }
    for (const m of command.text.matchAll(/\/path\/to\/[\w.@%+~/-]*/g)) add({text: m[0], variable: null});
    for (const m of command.text.matchAll(/<([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)>/gi)) {
      const [name] = placeholderTokens(m[0]);
      if (name) add({text: m[0], variable: name});
    }
  }
  return out;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && n <= MAX_BLOCK_LINES; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// Editors in a headless rehearsal. Nobody can type into `nano pyproject.toml`, so for a block run on a pseudo-terminal
// the editors are replaced — shims first on PATH (and as $EDITOR, $VISUAL, $GIT_EDITOR) in a directory of that block's
// own — by one that makes the change the command's comment describes, as the operator would have typed it:
//
//   nano pyproject.toml  # Update version = "1.2.0"   the first line starting `version =` becomes `version = "1.2.0"`
//   vim .env             # Set LOG_LEVEL=debug         likewise `LOG_LEVEL=debug` (added at the end when no line has it)
//   nano notes.txt                                     no change described: the file is left as it is
//
// The comment is `[Update|Set|Change|Bump|Edit] KEY = VALUE` (the verb optional); KEY's line keeps its indentation.
// The editor commands are found with the runbook's one shell tokenizer; the comment, which the scanner drops, is read
// from the script's own line. Each shim run says what it did, and the block's line repeats it.

import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import type {PlannedCommand} from '../runbook/command-plan.js';
import {commandsRun} from '../runbook/shell-commands.js';
import {shellQuote} from '../runbook/shell-words.js';
import type {ShellState} from '../exec/types.js';

/** The editors replaced: programs that edit a file on the terminal, and the variables that name one. */
const EDITORS = ['nano', 'pico', 'vi', 'vim', 'nvim', 'view', 'emacs', 'micro', 'code', 'subl'];
const EDITOR_VARIABLES = ['EDITOR', 'VISUAL', 'GIT_EDITOR'];
const AS_VARIABLE = new Set(EDITOR_VARIABLES.flatMap(name => [`$${name}`, `\${${name}}`]));
const VERB = /^(?:(?:update|set|change|bump|edit)\s+)?(?=[A-Za-z_])/i;
const ASSIGNMENT = /^([A-Za-z_][\w.-]*)\s*=\s*\S/;

/** A change an editor command's comment describes: the line starting `key =` becomes `line`. */
export interface DescribedEdit {
  /** The file as the command names it (quotes removed). */
  file: string;
  change: {key: string; line: string} | null;
}

/** What a comment describes, or null: `Update version = "1.2.0"` → version, `version = "1.2.0"`. */
export function describedChange(comment: string): DescribedEdit['change'] {
  const text = comment.replace(/^#+\s*/, '').trim().replace(VERB, '');
  const key = ASSIGNMENT.exec(text)?.[1];
  return key ? {key, line: text} : null;
}

/** The editor commands of a block's script (as planned), each with the file it opens and the change its comment describes. */
export function editsOf(script: string, plan: readonly PlannedCommand[]): DescribedEdit[] {
  const lines = script.split('\n');
  const out: DescribedEdit[] = [];
  for (const command of plan) {
    const comment = commentAfter(lines[command.endLine - 1] ?? '', command.text);
    for (const simple of commandsRun(command.text)) {
      if (!isEditor(simple.program)) continue;
      const file = [...simple.args].reverse().find(a => !a.startsWith('-') && !a.startsWith('+'));
      if (file) out.push({file, change: comment ? describedChange(comment) : null});
    }
  }
  return out;
}

const isEditor = (program: string) => EDITORS.includes(program) || AS_VARIABLE.has(program);

/** The comment ending a command's last line in the script as written: what follows the command's own text there. */
function commentAfter(raw: string, text: string): string | null {
  const last = text.split('\n').at(-1)!.trim();
  const at = last ? raw.lastIndexOf(last) : -1;
  const rest = (at >= 0 ? raw.slice(at + last.length) : '').trim();
  return rest.startsWith('#') ? rest : null;
}

/** The shims set up for one block: the shell to run it in, and afterwards what they did and the cleanup. */
export interface EditorShims {
  shell: ShellState;
  /** One line per editor run: `editor: pyproject.toml: version = "1.2.0"`. */
  said(): string[];
  /** The shell the block left, without the shims (they were for this block only). */
  restore(after: ShellState, before: ShellState): ShellState;
  remove(): void;
}

export function editorShims(script: string, plan: readonly PlannedCommand[], shell: ShellState, scratchDir: string): EditorShims {
  mkdirSync(scratchDir, {recursive: true, mode: 0o700});
  const dir = mkdtempSync(join(scratchDir, 'editor-'));
  writeFileSync(join(dir, 'edits.json'), JSON.stringify(editsOf(script, plan)));
  writeFileSync(join(dir, 'edit.mjs'), EDIT_SCRIPT);
  const shim = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(join(dir, 'edit.mjs'))} "$@"\n`;
  for (const name of [...EDITORS, 'editor']) {
    writeFileSync(join(dir, name), shim);
    chmodSync(join(dir, name), 0o755);
  }
  const editor = join(dir, 'editor');
  const env = {...shell.env, PATH: [dir, shell.env.PATH].filter(Boolean).join(delimiter), ...Object.fromEntries(EDITOR_VARIABLES.map(name => [name, editor]))};
  return {
    shell: {...shell, env},
    said: () => {
      try {
        return readFileSync(join(dir, 'report'), 'utf8').split('\n').filter(Boolean).map(line => `editor: ${line}`);
      } catch {
        return [];
      }
    },
    restore: (after, before) => {
      const restored = {...after.env};
      if (restored.PATH !== undefined) restored.PATH = restored.PATH.split(delimiter).filter(entry => entry !== dir).join(delimiter);
      for (const name of EDITOR_VARIABLES) {
        if (restored[name] !== editor) continue;
        if (before.env[name] === undefined) delete restored[name];
        else restored[name] = before.env[name]!;
      }
      return {...after, env: restored};
    },
    remove: () => rmSync(dir, {recursive: true, force: true}),
  };
}

// The shim itself, run by node as each editor: the file is its last argument that is not an option, matched to the
// command that opened it by its name as written, else by its base name. Kept dependency-free: it runs from the shim
// directory, outside the bundle.
const EDIT_SCRIPT = `import {appendFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {basename} from 'node:path';
const here = new URL('.', import.meta.url).pathname;
const edits = JSON.parse(readFileSync(here + 'edits.json', 'utf8'));
const file = process.argv.slice(2).reverse().find(a => !a.startsWith('-') && !a.startsWith('+'));
const say = text => appendFileSync(here + 'report', text.replace(/\\n/g, ' ') + '\\n');
if (!file) { say('no file named, nothing edited'); process.exit(0); }
const edit = edits.find(e => e.file === file) ?? edits.find(e => basename(e.file) === basename(file));
if (!edit || !edit.change) { say(file + ': no change described, file left as is'); process.exit(0); }
const {key, line} = edit.change;
const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
const lines = text.split('\\n');
const starts = new RegExp('^(\\\\s*)' + key.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&') + '\\\\s*=');
const at = lines.findIndex(l => starts.test(l));
if (at >= 0) {
  lines[at] = starts.exec(lines[at])[1] + line;
  writeFileSync(file, lines.join('\\n'));
  say(file + ': ' + line);
} else {
  writeFileSync(file, text + (text && !text.endsWith('\\n') ? '\\n' : '') + line + '\\n');
  say(file + ': no line set ' + key + ', added ' + line);
}
`;

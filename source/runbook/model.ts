// The runbook model: what the TUI walks, what the session records against, what `show --json` prints.
// Plain data only (JSON-serialisable), so it can be cached, diffed between versions and sent anywhere.

import type {RollbackPath} from './rollback-finder.js';
import type {RunbookTargets} from './targets-model.js';

export type BlockKind = 'command' | 'output' | 'template' | 'config' | 'code';

export interface Confirmation {
  /** What the operator must type before a dangerous block runs. */
  kind: 'namespace' | 'context' | 'branch' | 'environment' | 'word';
  value: string;
}

export interface Placeholder {
  text: string;
  variable: string | null;
}

export interface Block {
  id: string;
  lang: string;
  /** Fence attributes in Runme style: ```sh {name=deploy interactive=true ignore=true} */
  attributes: Record<string, string>;
  code: string;
  kind: BlockKind;
  /** What it would run: logical shell commands (continuations and heredocs joined), prompts stripped. */
  commands: string[];
  dangerous: boolean;
  /** Why it is dangerous, in the operator's words ("rolls back deployment/payments-api"). */
  dangers: string[];
  confirm: Confirmation | null;
  /** Needs the whole terminal (an editor, watch, a -f follower, exec -it, websocat). */
  interactive: boolean;
  /** Variables the block reads but does not set before use. */
  uses: string[];
  /** Variables the block sets (exports or assignments). */
  sets: string[];
  /**
   * Text the author meant to be replaced (`/path/to/kubeconfig-production.yaml`, `<commit-sha>`): the runner asks
   * for a value before running and substitutes it. `variable` names the variable it assigns or stands for.
   */
  placeholders: Placeholder[];
  line: number;
}

export type ChecklistKind = 'task' | 'criterion' | 'trigger';

export interface ChecklistItem {
  id: string;
  text: string;
  checked: boolean;
  kind: ChecklistKind;
  line: number;
}

/** Styled inline text, enough for a terminal: no nesting beyond one style per span. */
export interface Span {
  text: string;
  style?: 'strong' | 'emphasis' | 'code' | 'link' | 'delete';
  url?: string;
}

export interface ListEntry {
  spans: Span[];
  /** Set when this list entry is a checklist item. */
  checkId?: string;
  children: Content[];
}

export type Content =
  | {type: 'paragraph'; spans: Span[]}
  | {type: 'list'; ordered: boolean; start: number; items: ListEntry[]}
  | {type: 'block'; blockId: string}
  | {type: 'table'; align: Array<'left' | 'right' | 'center' | null>; header: string[]; rows: string[][]}
  | {type: 'quote'; children: Content[]}
  | {type: 'rule'}
  | {type: 'html'; text: string};

export interface RunbookNode {
  id: string;
  title: string;
  depth: number;
  line: number;
  /** A heading with content of its own is a step the operator walks; one with only sub-headings is a section. */
  isStep: boolean;
  content: Content[];
  blocks: Block[];
  checklist: ChecklistItem[];
  /**
   * Conditions to assess, not work to do (the guide's 🔴/🟡 "When to Rollback" bullets): tickable as "true now" and
   * recorded, but never counted as checks and never needed for the step to be done.
   */
  triggers: ChecklistItem[];
  children: RunbookNode[];
}

export type VariableKind = 'input' | 'placeholder' | 'computed';

export interface Variable {
  name: string;
  kind: VariableKind;
  /** The runbook's placeholder value, offered as the default when asking. */
  suggestion: string | null;
  secret: boolean;
  /** Step ids that read it. */
  steps: string[];
  /** Step ids that set it. */
  setBy: string[];
}

export interface Table {
  stepId: string;
  header: string[];
  rows: string[][];
}

export interface Runbook {
  title: string;
  path: string;
  /** sha256 of the text as read (after repair): the session records it to notice edits. */
  hash: string;
  frontMatter: Record<string, unknown>;
  sections: RunbookNode[];
  variables: Variable[];
  /** What it acts on (namespaces, workloads, workflows…), per step and in all: see targets.ts. */
  targets: RunbookTargets;
  /** Its rollback section(s), null when it has none: see rollback-finder.ts. */
  rollback: RollbackPath | null;
  warnings: string[];
}

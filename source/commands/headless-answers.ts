// What a headless rehearsal answers for a block before running it, with nobody to ask: what the guided screen would
// take on Enter (its suggestion: the runbook's text for a placeholder, the sandbox's value for one standing for a
// variable it sets) unless `--set` gives another. (What the block itself asks as it runs: headless-prompts.ts.) Pure.

import type {Answers, Question} from '../session/questions.js';

export interface Answered {
  answers: Answers;
  /** Values with no default and no --set: the block is not run, and the line says which. */
  missing: string[];
  /** The --set names these answers used. */
  used: string[];
}

/**
 * The answers to a block's questions: `given` (from --set, by variable name or placeholder text) first, else the
 * suggestion the guided screen proposes; a variable with neither that the block sets itself (`setsItself`) is left to
 * it. A dangerous block's typed confirmation is given: a headless rehearsal runs only against the sandbox.
 */
export function answersFor(questions: readonly Question[], given: Readonly<Record<string, string>>, setsItself: readonly string[] = []): Answered {
  const answers: Answers = {variables: {}, placeholders: {}, confirmed: false};
  const missing: string[] = [];
  const used: string[] = [];
  const take = (...names: Array<string | null>) => {
    const name = names.find(n => n !== null && Object.hasOwn(given, n));
    if (name === undefined || name === null) return undefined;
    used.push(name);
    return given[name];
  };
  for (const q of questions) {
    if (q.kind === 'confirm') answers.confirmed = true;
    else if (q.kind === 'placeholder') answers.placeholders[q.text] = take(q.text, q.variable) || q.suggestion;
    else {
      const value = take(q.name) || q.suggestion;
      if (value) answers.variables[q.name] = value;
      // Read on the line that sets it (`read -p "…" a; echo "$a"`): the block answers it itself.
      else if (!setsItself.includes(q.name)) missing.push(q.name);
    }
  }
  return {answers, missing, used};
}

// Which namespace and workload the cluster panes follow as the operator walks the runbook (panes-target.ts says
// how), remembering the steps visited (a resumed session starts from the steps it ran commands in), and `w`
// cycling through the workloads in view when a step names several.

import {useInput} from 'ink';
import {useMemo, useRef, useState} from 'react';
import type {WorkloadRef} from '../../kube/discover.js';
import {panesTarget, variablesRead, visitOrder, type PanesTarget} from '../../kube/panes-target.js';
import type {RunbookTargets} from '../../runbook/targets-model.js';
import {useStableByKey} from '../use-stable-by-key.js';

export interface UsePanesTargetOptions {
  targets: RunbookTargets | undefined;
  stepId: string;
  /** The steps the session ran commands in, oldest first: where a resumed session was. */
  ranIn: readonly string[];
  /** The session's answers and exported variables: `-n $NAMESPACE` counts once answered. */
  answers: Readonly<Record<string, string | undefined>>;
  /** `w` cycles through the workloads in view while true (false while a prompt or dialog has the keys). */
  keysActive: boolean;
  /** Said when `w` has nothing to cycle through. */
  onNotice?: (text: string) => void;
}

export interface PanesInView {
  /** The namespace the panes show; null: the kube context's own. */
  namespace: string | null;
  /** The workload the ROLLOUT pane shows; null: the namespace's only one, if it has exactly one. */
  workload: WorkloadRef | null;
  position: {index: number; count: number};
  target: PanesTarget;
}

const EMPTY: PanesTarget = {namespace: null, namespaceFrom: null, workloads: [], main: -1, workloadFrom: null};

export function usePanesTarget({targets, stepId, ranIn, answers, keysActive, onNotice}: UsePanesTargetOptions): PanesInView {
  const visited = useRef<string[] | null>(null);
  visited.current ??= ranIn.reduce<string[]>((order, id) => visitOrder(order, id), []);
  if (visited.current.at(-1) !== stepId) visited.current = visitOrder(visited.current, stepId);
  const earlierNow = visited.current.slice(0, -1);
  // `earlier` only matters through the steps it names; the answers only through the variables the targets read.
  const earlier = useStableByKey(earlierNow, earlierNow.join('\0'));

  const read = useMemo(() => (targets ? variablesRead(targets) : []), [targets]);
  const answersRead = useStableByKey(answers, read.map(v => `${v}=${answers[v] ?? ''}`).join('\0'));
  const target = useMemo(() => (targets ? panesTarget(targets, stepId, earlier, answersRead) : EMPTY), [targets, stepId, earlier, answersRead]);

  const listKey = target.workloads.map(w => `${w.kind}/${w.name}@${w.namespace ?? ''}`).join(',');
  const [picked, setPicked] = useState<{listKey: string; index: number} | null>(null);
  const count = target.workloads.length;
  const index = picked?.listKey === listKey ? picked.index : Math.max(0, target.main);

  useInput(
    (input, key) => {
      if (key.ctrl || key.meta || input.includes('\x1b')) return;
      const presses = [...input].filter(ch => ch === 'w').length;
      if (!presses) return;
      if (count < 2) {
        onNotice?.(count === 1 ? 'w cycles through the workloads in view: this step has one' : 'w cycles through the workloads in view: no workload named here');
        return;
      }
      setPicked({listKey, index: (index + presses) % count});
    },
    {isActive: keysActive},
  );

  const chosen = target.workloads[index] ?? null;
  return {
    namespace: chosen?.namespace ?? target.namespace,
    workload: chosen ? {kind: chosen.kind, name: chosen.name} : null,
    position: {index, count},
    target,
  };
}

// The rollback dialog with its keys and effects, for the App to mount while it is open (mounting
// starts the history read; unmounting stops following the rollout).
import {UndoDialog} from './undo-dialog.js';
import {useUndo, type UseUndoOptions} from './use-undo.js';

export type UndoFlowProps = UseUndoOptions & {width: number; height: number};

export function UndoFlow({width, height, ...options}: UndoFlowProps) {
  const {state} = useUndo(options);
  return <UndoDialog state={state} width={width} height={height} />;
}

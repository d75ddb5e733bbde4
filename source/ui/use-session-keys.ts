// Keys → actions. Prompts take the keyboard while open; otherwise the keys an operator expects (arrows, vim
// keys, Enter, Space) walk and act. Ctrl-C cancels a running command and never quits while one runs.

import {useApp, useInput, type Key} from 'ink';
import type {Dispatch} from 'react';
import type {SessionController} from '../session/controller.js';
import {guideActionFor} from '../github/guide-actions.js';
import {severityTable} from '../runbook/severity.js';
import {declaredIncident} from '../session/session-state.js';
import {actionableIds} from './step-lines.js';
import type {ViewAction, ViewState} from './use-session-view-state.js';

export interface KeyContext {
  controller: SessionController;
  /** The latest view, read at the moment of each key: keys typed faster than a render must not see stale state. */
  view: () => ViewState;
  dispatch: Dispatch<ViewAction>;
  scrollMax: number;
  pageSize: number;
  onQuit: () => void;
  active: boolean;
  cluster?: {configured: boolean; podsTotal: number};
  /** The pipeline's run waits on an environment that can be reviewed. */
  reviewable?: boolean;
  /** L: the picker of other runbooks (absent when the session cannot switch). */
  openRunbooks?: () => void;
}

export function useSessionKeys(ctx: KeyContext) {
  const {exit} = useApp();
  useInput(
    (input, key) => {
      // Several keys can arrive in one read ("nn" typed fast, or sent by a script); outside a prompt each is a key.
      const plain = input.length > 1 && !ctx.view().modal && !key.ctrl && !key.meta && !input.includes('\x1b');
      if (plain) for (const ch of input) handleKey(ch, {...key, return: ch === '\r'}, ctx, exit);
      else if (input.length > 1 && input.includes('\r') && !input.includes('\x1b')) {
        // Text and Enter in one read (a paste, or typing faster than a render): type, then submit.
        for (const part of input.split(/(\r)/)) {
          if (part === '\r') handleKey('', {...key, return: true}, ctx, exit);
          else if (part) handleKey(part, {...key, return: false}, ctx, exit);
        }
      } else handleKey(input, key, ctx, exit);
    },
    {isActive: ctx.active},
  );
}

export function handleKey(input: string, key: Key, ctx: KeyContext, exit: () => void) {
  const {controller, dispatch} = ctx;
  const view = ctx.view();
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;
  const focusIds = actionableIds(step);
  const runsOfStep = controller.session.runs.filter(r => r.stepId === step.id).length;
  const running = controller.activeRun !== null;

  if (key.ctrl && input === 'c') {
    if (running) {
      controller.cancel();
      dispatch({type: 'message', text: 'Cancelling: SIGTERM to the command’s process group, SIGKILL in 2 s if it holds on', tone: 'warn'});
    } else if (view.modal) dispatch({type: 'close'});
    else {
      ctx.onQuit();
      exit();
    }
    return;
  }

  const modal = view.modal;
  if (modal) {
    if (key.escape || (modal.kind === 'help' && (input === '?' || input === 'q'))) {
      dispatch({type: 'close'});
      return;
    }
    if (modal.kind === 'help') return;
    if (key.return) {
      if (modal.kind === 'search') {
        const needle = modal.input.trim().toLowerCase();
        const found = needle ? steps.findIndex(s => s.title.toLowerCase().includes(needle)) : -1;
        if (found >= 0) dispatch({type: 'go', stepIndex: found, steps: steps.length});
        else if (needle) dispatch({type: 'message', text: `No step title contains "${modal.input.trim()}"`, tone: 'warn'});
      }
      dispatch({type: 'submit'});
    } else if (key.backspace || key.delete) dispatch({type: 'erase'});
    else if (input && !key.ctrl && !key.meta) dispatch({type: 'type', text: input.replace(/[\r\n]/g, '')});
    return;
  }

  const focusId = focusIds[view.focus];
  if (controller.readOnly && (key.return || input === ' ' || input === 's' || input === 'd' || input === 'N' || input === 'm' || input === 'I')) {
    dispatch({type: 'message', text: 'read-only view: another runbook process is writing this session (it updates here)', tone: 'warn'});
    return;
  }
  const go = (stepIndex: number) => dispatch({type: 'go', stepIndex, steps: steps.length});

  if (key.rightArrow || input === 'n' || input === 'l') {
    // A step with nothing to run or tick is done once the operator has read it and moves on.
    if (focusIds.length === 0 && !controller.session.marks[step.id]) controller.mark(step.id, 'done', 'read');
    go(view.stepIndex + 1);
  } else if (key.leftArrow || input === 'p' || input === 'h') go(view.stepIndex - 1);
  else if (key.downArrow || input === 'j' || key.tab) dispatch({type: 'focus', delta: 1, count: focusIds.length});
  else if (key.upArrow || input === 'k') dispatch({type: 'focus', delta: -1, count: focusIds.length});
  else if (key.pageDown) dispatch({type: 'scroll', delta: ctx.pageSize, max: ctx.scrollMax});
  else if (key.pageUp) dispatch({type: 'scroll', delta: -ctx.pageSize, max: ctx.scrollMax});
  else if (input === 'g') go(0);
  else if (input === 'G') go(steps.length - 1);
  else if (key.return || input === ' ') {
    if (!focusId) return;
    const isCheck = step.checklist.some(c => c.id === focusId) || step.triggers.some(c => c.id === focusId);
    const isTemplate = step.blocks.some(b => b.id === focusId && b.kind === 'template');
    if (isCheck) controller.toggleCheck(step.id, focusId);
    else if (isTemplate) dispatch({type: 'fill-template', blockId: focusId});
    else if (input === ' ') dispatch({type: 'message', text: 'Space ticks checklist items; Enter runs a command block', tone: 'muted'});
    else if (running) dispatch({type: 'message', text: 'A command is already running: wait for it, or Ctrl-C to cancel it', tone: 'warn'});
    else dispatch({type: 'ask', blockId: focusId, questions: controller.questions(focusId)});
  } else if (input === 's') dispatch({type: 'reason', purpose: 'skip', stepId: step.id});
  else if (input === 'd') dispatch({type: 'reason', purpose: 'done', stepId: step.id});
  else if (input === 'N') dispatch({type: 'reason', purpose: 'note', stepId: step.id});
  else if (input === 'I') {
    if (declaredIncident(controller.session)) dispatch({type: 'message', text: 'An incident is already declared in this session (the clock is in the header)', tone: 'muted'});
    else dispatch({type: 'reason', purpose: 'incident', stepId: step.id, levels: severityTable(controller.runbook).levels});
  }
  else if (input === 'R') {
    // Where the rollback is done: its first step with commands (a section may open with when to roll back).
    const path = controller.runbook.rollback;
    if (path) go(path.firstRunnable ?? path.first);
    else dispatch({type: 'message', text: 'This runbook has no rollback section', tone: 'warn'});
  } else if (input === '[') dispatch({type: 'run-back', delta: 1, runs: runsOfStep});
  else if (input === ']') dispatch({type: 'run-back', delta: -1, runs: runsOfStep});
  else if (input === '/') dispatch({type: 'search'});
  else if (input === 'o') dispatch({type: 'toggle-outline'});
  else if (input === 'c') dispatch({type: 'toggle-panes'});
  else if (input === 'J' || input === 'K') dispatch({type: 'pods-scroll', delta: input === 'J' ? 5 : -5, total: ctx.cluster?.podsTotal ?? 0});
  else if (input === 'm') {
    const block = step.blocks.find(b => b.id === focusId);
    if (!block || !guideActionFor(block.commands)) dispatch({type: 'message', text: 'm does a guide’s gh step natively (open, approve or merge the release PR, dispatch the rollback); focus one first', tone: 'muted'});
    else if (running) dispatch({type: 'message', text: 'A command is running: wait for it, or Ctrl-C to cancel it', tone: 'warn'});
    else dispatch({type: 'ask', blockId: block.id, questions: controller.questions(block.id).filter(q => q.kind === 'confirm'), native: true});
  } else if (input === 'A') {
    if (controller.readOnly) dispatch({type: 'message', text: 'read-only view: approvals belong to the session’s writer', tone: 'warn'});
    else if (ctx.reviewable) dispatch({type: 'approval', open: true});
    else dispatch({type: 'message', text: 'No pipeline run is waiting for approval', tone: 'muted'});
  } else if (input === 'u') {
    if (controller.readOnly) dispatch({type: 'message', text: 'read-only view: the rollback belongs to the session’s writer', tone: 'warn'});
    else if (running) dispatch({type: 'message', text: 'A command is running: wait for it, or Ctrl-C to cancel it', tone: 'warn'});
    else if (ctx.cluster?.configured) dispatch({type: 'undo', open: true});
    else dispatch({type: 'message', text: 'No cluster configured: the native rollback needs one (KUBECONFIG, or npm start for the sandbox)', tone: 'warn'});
  }
  else if (input === 'L') {
    if (running) dispatch({type: 'message', text: 'A command is running: wait for it, or Ctrl-C to cancel it, then L', tone: 'warn'});
    else ctx.openRunbooks?.();
  }
  else if (input === '?') dispatch({type: 'help'});
  else if (input === 'q') {
    if (running) dispatch({type: 'message', text: 'A command is running: Ctrl-C cancels it, then q quits', tone: 'warn'});
    else {
      ctx.onQuit();
      exit();
    }
  }
}

// Actions → the view and the session. Each action the key maps name (key-map.ts) is done here: what only moves the
// view goes to the view's reducer; what touches the session goes to the controller and its services
// (session/session-actions.ts), which own what is recorded and in which words. A prompt's answer comes back from
// the reducer as a request; it is carried out here, once, as the key that made it is handled (never in an effect).

import type {Dispatch} from 'react';
import {guideActionFor} from '../github/guide-actions.js';
import {severityTable} from '../runbook/severity.js';
import type {SessionController} from '../session/controller.js';
import type {Screen, ScreenFacts, SessionActions} from '../session/session-actions.js';
import {declaredIncident} from '../session/session-state.js';
import {copyToClipboard} from './clipboard.js';
import type {Action, KeyState, Mode} from './key-map.js';
import {actionableIds} from './step-lines.js';
import type {ViewAction, ViewState} from './use-session-view-state.js';

export interface CommandContext {
  controller: SessionController;
  actions: SessionActions;
  /** The latest view, read at the moment of each action: keys typed faster than a render must not see stale state. */
  view: () => ViewState;
  dispatch: Dispatch<ViewAction>;
  scrollMax: number;
  pageSize: number;
  quit: () => void;
  cluster?: {configured: boolean; podsTotal: number};
  /** The pipeline's run waits on an environment that can be reviewed. */
  reviewable?: boolean;
  /** L: the picker of other runbooks (absent when the session cannot switch). */
  openRunbooks?: () => void;
  /** What the screen knows that a template may use (the rollout history). */
  facts?: () => ScreenFacts;
  /** A dialog (rollback, approval, runbook picker) has the keyboard. */
  dialog?: boolean;
}

/** The screen as the session's services see it: messages and steps go through the view's reducer. */
export function screenOf(ctx: Pick<CommandContext, 'controller' | 'dispatch'>): Screen {
  return {
    say: (text, tone) => ctx.dispatch({type: 'message', text, tone}),
    go: stepIndex => ctx.dispatch({type: 'go', stepIndex, steps: ctx.controller.steps.length}),
    copy: text => copyToClipboard(text),
  };
}

export function modeOf(ctx: CommandContext): Mode {
  const modal = ctx.view().modal;
  if (ctx.dialog) return 'dialog';
  if (modal) return modal.kind === 'help' ? 'overlay' : 'prompt';
  return ctx.controller.readOnly ? 'read-only' : 'step';
}

export function keyStateOf(ctx: CommandContext): KeyState {
  const {controller} = ctx;
  const view = ctx.view();
  const step = controller.steps[view.stepIndex]!;
  const focusId = actionableIds(step)[view.focus];
  const block = step.blocks.find(b => b.id === focusId);
  const isCheck = focusId !== undefined && (step.checklist.some(c => c.id === focusId) || step.triggers.some(c => c.id === focusId));
  return {
    readOnly: controller.readOnly,
    running: controller.activeRun !== null,
    focus: focusId === undefined ? null : isCheck ? 'check' : block?.kind === 'template' ? 'template' : 'command',
    nativeFocus: Boolean(block && guideActionFor(block.commands)),
    reviewable: Boolean(ctx.reviewable),
    cluster: Boolean(ctx.cluster?.configured),
    incidentDeclared: declaredIncident(controller.session) !== null,
    hasRollback: controller.runbook.rollback !== null,
    canSwitch: ctx.openRunbooks !== undefined,
  };
}

/** Does one action; `text` is what was typed, for `type`. */
export function perform(action: Action, ctx: CommandContext, text = ''): void {
  const {controller, actions, dispatch} = ctx;
  const view = ctx.view();
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;
  const focusIds = actionableIds(step);
  const focusId = focusIds[view.focus]!;
  const screen = screenOf(ctx);
  switch (action) {
    case 'next-step':
      actions.leave(step.id, focusIds.length);
      return screen.go(view.stepIndex + 1);
    case 'previous-step':
      return screen.go(view.stepIndex - 1);
    case 'first-step':
      return screen.go(0);
    case 'last-step':
      return screen.go(steps.length - 1);
    case 'focus-next':
    case 'focus-previous':
      return dispatch({type: 'focus', delta: action === 'focus-next' ? 1 : -1, count: focusIds.length});
    case 'page-down':
    case 'page-up':
      return dispatch({type: 'scroll', delta: action === 'page-down' ? ctx.pageSize : -ctx.pageSize, max: ctx.scrollMax});
    case 'tick':
      return controller.toggleCheck(step.id, focusId);
    case 'fill-template':
      return dispatch({type: 'fill-template', blockId: focusId});
    case 'run':
      return dispatch({type: 'ask', blockId: focusId, questions: controller.questions(focusId)});
    case 'run-natively':
      return dispatch({type: 'ask', blockId: focusId, questions: controller.questions(focusId).filter(q => q.kind === 'confirm'), native: true});
    case 'skip':
    case 'mark-done':
    case 'note':
      return dispatch({type: 'reason', purpose: action === 'skip' ? 'skip' : action === 'note' ? 'note' : 'done', stepId: step.id});
    case 'declare-incident':
      return dispatch({type: 'reason', purpose: 'incident', stepId: step.id, levels: severityTable(controller.runbook).levels});
    case 'go-to-rollback': {
      const to = actions.rollbackStep();
      return to === null ? undefined : screen.go(to);
    }
    case 'older-run':
    case 'newer-run': {
      const runs = controller.session.runs.filter(r => r.stepId === step.id).length;
      return dispatch({type: 'run-back', delta: action === 'older-run' ? 1 : -1, runs});
    }
    case 'search':
      return dispatch({type: 'search'});
    case 'toggle-outline':
      return dispatch({type: 'toggle-outline'});
    case 'toggle-panes':
      return dispatch({type: 'toggle-panes'});
    case 'pods-down':
    case 'pods-up':
      return dispatch({type: 'pods-scroll', delta: action === 'pods-down' ? 5 : -5, total: ctx.cluster?.podsTotal ?? 0});
    case 'open-approval':
      return dispatch({type: 'approval', open: true});
    case 'open-undo':
      return dispatch({type: 'undo', open: true});
    case 'open-runbooks':
      return ctx.openRunbooks?.();
    case 'help':
      return dispatch({type: 'help'});
    case 'quit':
      return ctx.quit();
    case 'cancel-run':
      return actions.cancelRun(screen);
    case 'close':
      return dispatch({type: 'close'});
    case 'submit': {
      if (view.modal?.kind === 'search') {
        const found = actions.findStep(view.modal.input, screen);
        if (found !== null) screen.go(found);
      }
      return dispatch({type: 'submit'});
    }
    case 'erase':
      return dispatch({type: 'erase'});
    case 'type':
      return dispatch({type: 'type', text: text.replace(/[\r\n]/g, '')});
  }
}

/** Carries out what the last action's prompt answer asked for (a run, a mark, a refusal, a template), once. */
export function carryOutPending(ctx: CommandContext): void {
  const request = ctx.view().pending;
  if (!request) return;
  ctx.dispatch({type: 'done-pending'});
  ctx.actions.carryOut(request, screenOf(ctx), ctx.facts?.() ?? {history: []});
}

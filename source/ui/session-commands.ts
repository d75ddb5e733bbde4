// Actions → the view and the session. Each action the key maps name (key-map.ts) is done here: what only moves the
// view goes to the view's reducer; what touches the session goes to the controller and its services
// (session/session-actions.ts), which own what is recorded and in which words. A prompt's answer comes back from
// the reducer as a request; it is carried out here, once, as the key that made it is handled (never in an effect).

import type {Dispatch} from 'react';
import {guideActionFor} from '../github/guide-actions.js';
import type {RunbookNode} from '../runbook/model.js';
import {severityTable} from '../runbook/severity.js';
import type {SessionController} from '../session/controller.js';
import type {Screen, ScreenFacts, SessionActions} from '../session/session-actions.js';
import {declaredIncident} from '../session/session-state.js';
import {copyToClipboard} from './clipboard.js';
import {type PodCommandContext, POD_HANDLERS, type PodsInView} from './cluster/pod-commands.js';
import type {Action, DialogAction, KeyState, Mode} from './key-map.js';
import type {Wheel} from '../share/types.js';
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
  /** F: the follow-ups after the deploy (follow-ups-overlay.tsx). */
  openFollowUps?: () => void;
  /** What the screen knows that a template may use (the rollout history). */
  facts?: () => ScreenFacts;
  /** A dialog (rollback, approval, runbook picker) has the keyboard. */
  dialog?: boolean;
  /** What is on screen now (the layout decides where the operator has not): what `o` and `c` turn the other way. */
  shown?: {outline: boolean; panes: boolean};
  /** What PODS shows (the pod keys move a selection through it). */
  pods?: PodsInView;
  /** The open pod overlay's rows as drawn (its keys scroll and search them). */
  inspect?: PodCommandContext['inspect'];
  /** The shared session's wheel (absent when the session is not shared): T asks for it or hands it over, B accepts branches. */
  wheel?: Wheel;
  /** How far the help scrolls (max 0: it fits), and by how much a key moves it. */
  help?: {max: number; page: number};
}

/** The screen as the session's services see it: messages and steps go through the view's reducer. */
export function screenOf(ctx: Pick<CommandContext, 'controller' | 'dispatch'>): Screen {
  return {
    say: (text, tone) => ctx.dispatch({type: 'message', text, tone}),
    // Going to a step records entering it (the first step is recorded where the session opens).
    go: stepIndex => {
      const steps = ctx.controller.steps;
      const to = Math.max(0, Math.min(steps.length - 1, stepIndex));
      ctx.controller.enterStep(steps[to]!.id);
      ctx.dispatch({type: 'go', stepIndex, steps: steps.length});
    },
    copy: text => copyToClipboard(text),
  };
}

export function modeOf(ctx: CommandContext): Mode {
  const modal = ctx.view().modal;
  if (ctx.dialog) return 'dialog';
  const inspect = ctx.view().inspect;
  if (inspect) return inspect.input === null ? 'inspect' : 'inspect-search';
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
    readOnlyReason: controller.readOnlyReason,
    running: controller.activeRun !== null,
    focus: focusId === undefined ? null : isCheck ? 'check' : block?.kind === 'template' ? 'template' : 'command',
    nativeFocus: Boolean(block && guideActionFor(block.commands)),
    reviewable: Boolean(ctx.reviewable),
    cluster: Boolean(ctx.cluster?.configured),
    incidentDeclared: declaredIncident(controller.session) !== null,
    hasRollback: controller.runbook.rollback !== null,
    canSwitch: ctx.openRunbooks !== undefined,
    podSelected: Boolean(view.podSelected),
  };
}

/** What an action sees: the context, the view at the moment of the key, its step and focus. */
interface Doing {
  ctx: CommandContext;
  view: ViewState;
  step: RunbookNode;
  focusIds: string[];
  focusId: string;
  screen: Screen;
  text: string;
}

type SessionAction = Exclude<Action, DialogAction>;

const focusBy = (delta: number) => ({ctx, focusIds}: Doing) => ctx.dispatch({type: 'focus', delta, count: focusIds.length});
const pageBy = (sign: 1 | -1) => ({ctx}: Doing) => ctx.dispatch({type: 'scroll', delta: sign * ctx.pageSize, max: ctx.scrollMax});
const reason = (purpose: 'skip' | 'done' | 'note') => ({ctx, step}: Doing) => ctx.dispatch({type: 'reason', purpose, stepId: step.id});
const runBack = (delta: number) => ({ctx, step}: Doing) => {
  const runs = ctx.controller.session.runs.filter(r => r.stepId === step.id).length;
  ctx.dispatch({type: 'run-back', delta, runs});
};
/** The pod diagnosis keys (cluster/pod-commands.ts), each look recorded against the step on screen. */
const podHandlers = Object.fromEntries(
  Object.entries(POD_HANDLERS).map(([action, handle]) => [
    action,
    ({ctx, step, text}: Doing) => handle({...ctx, record: look => ctx.controller.looked(step.id, look)}, text),
  ]),
) as Record<keyof typeof POD_HANDLERS, (doing: Doing) => void>;
const toView = (action: ViewAction) => ({ctx}: Doing) => ctx.dispatch(action);

/** Each session action, done. */
const HANDLERS: Record<SessionAction, (doing: Doing) => void> = {
  'next-step': ({ctx, view, step, focusIds, screen}) => {
    ctx.actions.leave(step.id, focusIds.length);
    screen.go(view.stepIndex + 1);
  },
  'previous-step': ({view, screen}) => screen.go(view.stepIndex - 1),
  'first-step': ({screen}) => screen.go(0),
  'last-step': ({ctx, screen}) => screen.go(ctx.controller.steps.length - 1),
  'focus-next': focusBy(1),
  'focus-previous': focusBy(-1),
  'page-down': pageBy(1),
  'page-up': pageBy(-1),
  tick: ({ctx, step, focusId}) => ctx.actions.tick(step.id, focusId),
  // What the session holds no fact for is asked first; Enter on an empty answer leaves it visibly open.
  'fill-template': ({ctx, focusId}) => ctx.dispatch({type: 'ask', blockId: focusId, questions: ctx.actions.templateQuestions(focusId, ctx.facts?.() ?? {history: []})}),
  run: ({ctx, focusId}) => ctx.dispatch({type: 'ask', blockId: focusId, questions: ctx.controller.questions(focusId)}),
  'run-natively': ({ctx, focusId}) =>
    ctx.dispatch({type: 'ask', blockId: focusId, questions: ctx.controller.questions(focusId).filter(q => q.kind === 'confirm'), native: true}),
  skip: reason('skip'),
  'mark-done': reason('done'),
  note: reason('note'),
  'declare-incident': ({ctx, step}) => ctx.dispatch({type: 'reason', purpose: 'incident', stepId: step.id, levels: severityTable(ctx.controller.runbook).levels}),
  'resolve-incident': ({ctx, step, screen}) => {
    const open = ctx.actions.openIncident();
    if (open) ctx.dispatch({type: 'reason', purpose: 'resolve', stepId: step.id});
    else screen.say('No open incident to resolve (I declares one)', 'muted');
  },
  'go-to-rollback': ({ctx, screen}) => {
    const to = ctx.actions.rollbackStep();
    if (to !== null) screen.go(to);
  },
  'older-run': runBack(1),
  'newer-run': runBack(-1),
  search: toView({type: 'search'}),
  'toggle-outline': ({ctx}) => ctx.dispatch({type: 'toggle-outline', ...(ctx.shown ? {shown: ctx.shown.outline} : {})}),
  'toggle-panes': ({ctx}) => ctx.dispatch({type: 'toggle-panes', ...(ctx.shown ? {shown: ctx.shown.panes} : {})}),
  ...podHandlers,
  'open-approval': toView({type: 'approval', open: true}),
  'open-undo': toView({type: 'undo', open: true}),
  'open-runbooks': ({ctx}) => ctx.openRunbooks?.(),
  'open-follow-ups': ({ctx}) => ctx.openFollowUps?.(),
  wheel: ({ctx, screen}) => wheelKey(ctx, screen),
  'accept-branches': ({ctx, screen}) => {
    if (!ctx.wheel) return screen.say('This session is not shared: nothing to accept', 'muted');
    void ctx.wheel.acceptBranches().then(said => screen.say(said, 'done'), (error: Error) => screen.say(error.message, 'failed'));
  },
  help: toView({type: 'help'}),
  'help-down': ({ctx}) => ctx.dispatch({type: 'help-scroll', delta: ctx.help?.page ?? 1, max: ctx.help?.max ?? 0}),
  'help-up': ({ctx}) => ctx.dispatch({type: 'help-scroll', delta: -(ctx.help?.page ?? 1), max: ctx.help?.max ?? 0}),
  quit: ({ctx}) => ctx.quit(),
  'cancel-run': ({ctx, screen}) => ctx.actions.cancelRun(screen),
  close: toView({type: 'close'}),
  submit: ({ctx, view, screen}) => {
    if (view.modal?.kind === 'search') {
      const found = ctx.actions.findStep(view.modal.input, screen);
      if (found !== null) screen.go(found);
    }
    ctx.dispatch({type: 'submit'});
  },
  erase: toView({type: 'erase'}),
  type: ({ctx, text}) => ctx.dispatch({type: 'type', text: text.replace(/[\r\n]/g, '')}),
};

/** T: a follower asks for the wheel; the driver hands it to whoever asked. What it means is the wheel's to say. */
function wheelKey(ctx: CommandContext, screen: Screen) {
  const wheel = ctx.wheel;
  if (!wheel) return screen.say("This session is not shared ('runbook FILE --share' shares it; others follow with 'runbook join')", 'muted');
  const view = wheel.view();
  if (view.role === 'driver' && !view.request) return screen.say('You have the wheel; nobody has asked for it', 'muted');
  if (view.role === 'driver' && ctx.controller.activeRun) screen.say(`Handing over while a command runs: it goes on here and its result reaches ${view.request!.from}`, 'warn');
  const doing = view.role === 'driver' ? wheel.handOver() : wheel.ask();
  void doing.then(said => screen.say(said, 'done'), (error: Error) => screen.say(error.message, 'failed'));
}

const isSessionAction = (action: Action): action is SessionAction => action in HANDLERS;

/** Does one action; `text` is what was typed, for `type`. A dialog's actions are its own (see the dialog hooks). */
export function perform(action: Action, ctx: CommandContext, text = ''): void {
  if (!isSessionAction(action)) return;
  const view = ctx.view();
  const step = ctx.controller.steps[view.stepIndex]!;
  const focusIds = actionableIds(step);
  HANDLERS[action]({ctx, view, step, focusIds, focusId: focusIds[view.focus]!, screen: screenOf(ctx), text});
}

/** Carries out what the last action's prompt answer asked for (a run, a mark, a refusal, a template), once. */
export function carryOutPending(ctx: CommandContext): void {
  const request = ctx.view().pending;
  if (!request) return;
  ctx.dispatch({type: 'done-pending'});
  ctx.actions.carryOut(request, screenOf(ctx), ctx.facts?.() ?? {history: []});
}

// The parts of `runbook [FILE]` around the screen: the session's controller, what the first frame shows, the status
// bar's target, and the last line once the screen is gone.

import {currentKubeTarget, looksLikeProduction} from '../kube/current-context.js';
import type {SessionController} from '../session/controller.js';
import {incidentLabel, incidentTimeline} from '../session/incident-lifecycle.js';
import {progressOf} from '../session/session-state.js';
import type {DurableSessionStore} from '../session/persistence.js';
import {safeText} from '../terminal/safe-text.js';
import type {Target} from '../ui/status-bar.js';
import {initialViewState, type ViewState} from '../ui/use-session-view-state.js';
import {print, printError} from './print.js';
import type {Rehearsal} from './rehearsal-setup.js';
import {noRollbackLine} from './rollback-plan.js';
import {personOf, type Wheel, type WheelView} from '../share/types.js';

export {sessionController} from './session-controller.js';

/** Who drives a shared session, said in the header: the follower is never left wondering whether it may act. */
export function wheelLabel(view: WheelView): string {
  if (view.lost) return `WHEEL LOST${view.lost.to && view.lost.to !== view.me ? ` to ${personOf(view.lost.to)}` : ''} · read-only · T asks for it back`;
  if (view.role === 'follower') {
    const lag = view.live ? '' : ' · reconnecting';
    if (!view.holder) return `FOLLOWING · nobody drives · T takes the wheel${lag}`;
    const asked = view.request?.from === view.me ? 'asked for the wheel' : view.expiredAt ? 'lease expired: T takes the wheel' : 'T asks for the wheel';
    return `FOLLOWING ${personOf(view.holder)} · read-only · ${asked}${lag}`;
  }
  const parts = ['SHARED · you drive'];
  if (view.request) parts.push(`${personOf(view.request.from)} asks for the wheel (T)`);
  if (view.branches.length) parts.push(`${view.branches.reduce((n, b) => n + b.events, 0)} events on a branch (B)`);
  if (view.pending > 0) parts.push(`${view.pending} to publish`);
  return parts.join(' · ');
}

/** The status bar's target, read afresh at each frame: where commands go, and what kind of session this is. */
export function statusTarget(controller: SessionController, readOnly: boolean, rehearsal: Rehearsal | null, wheel?: Wheel, followed?: {rehearsal: boolean}): () => Target {
  const {runbook} = controller;
  return () => {
    const kube = currentKubeTarget(controller.shell().env);
    // Declared at start (`runbook rollback`) or later (I), or seen failing first: counted from the first sign.
    const clock = incidentLabel(incidentTimeline(controller.events(), runbook.rollback?.stepIds ?? []), Date.now());
    const shared = wheel ? wheelLabel(wheel.view()) : null;
    const mode = shared ?? (readOnly ? 'READ-ONLY' : null) ?? (rehearsal ? (rehearsal.sandbox ? `REHEARSAL · sandbox (${rehearsal.scenario})` : 'REHEARSAL · starting sandbox…') : null);
    // A rehearsal followed from another terminal is one too: its blocks ran against the driver's sandbox.
    const rehearsing = shared && (rehearsal || followed?.rehearsal) ? 'REHEARSAL' : null;
    return {
      mode: [clock, rehearsing, mode].filter(Boolean).join(' · ') || null,
      context: kube?.context ?? null,
      namespace: kube?.namespace ?? null,
      production: looksLikeProduction(kube?.context) || looksLikeProduction(kube?.namespace),
      repository: controller.shell().env.GITHUB_REPOSITORY ?? (typeof runbook.frontMatter.repository === 'string' ? runbook.frontMatter.repository : null),
    };
  };
}

/**
 * The first frame: the step it opens on, and what it says first. An incident is declared (once) and opens on the
 * rollback procedures; the runs a killed runbook left running are resolved and said.
 */
export function openingView(
  controller: SessionController,
  session: {incident: {severity: string | null} | null; rehearsal: Rehearsal | null; notice: string | null | undefined; file: string | null},
): ViewState {
  const {runbook} = controller;
  const {incident, notice} = session;
  if (incident && !controller.readOnly && !controller.session.notes.some(n => n.text.startsWith('Incident declared'))) {
    controller.note(controller.steps[0]!.id, `Incident declared: ${incident.severity ?? 'severity not set'}`);
  }
  const resumeAt = controller.steps.findIndex(s => s.id === controller.session.currentStepId);
  // An incident opens on the rollback procedures, unless it resumes a session that had moved on.
  const rollbackAt = runbook.rollback?.first ?? 0;
  const firstStep = Math.max(0, resumeAt >= 0 && !(incident && controller.session.runs.length === 0 && resumeAt === 0) ? resumeAt : incident ? rollbackAt : 0);
  // The outline and the panes go where the layout puts them (screen-layout.ts); a new session's first screen says
  // where to start (not a resumed one, nor an incident, which opens where it must).
  const fresh = controller.session.currentStepId === null && !controller.readOnly && !incident;
  let view: ViewState = initialViewState(firstStep, null, fresh);
  if (notice) view = {...view, message: {text: notice, tone: 'warn'}};
  // What became of the runs a killed runbook left running: said on the first screen, and recorded.
  const interrupted = controller.readOnly ? [] : controller.resolveInterruptedRuns();
  if (interrupted.length) view = {...view, message: {text: [notice, ...interrupted].filter(Boolean).join(' · '), tone: 'warn'}};
  // No rollback path: the native undo of the runbook's workload, as `u` opens it.
  const noRollback = incident && firstStep === rollbackAt ? noRollbackLine(session.file ?? runbook.path, runbook) : null;
  if (noRollback) view = {...view, undo: true, message: {text: [noRollback, view.message?.text].filter(Boolean).join(' · '), tone: 'warn'}};
  return view;
}

/** Marks a session that has every step done or skipped finished, closes it, and says where it was left. */
export function closeSession(controller: SessionController, store: DurableSessionStore, shared = false): void {
  const progress = progressOf(controller.session, controller.steps);
  const finished = progress.stepsDone + progress.skipped === progress.steps;
  if (finished && !store.readOnly) store.markFinished();
  store.close();
  const resume = shared ? `runbook resume ${store.id} --share (others: runbook join ${store.id})` : `runbook resume ${store.id}`;
  const where = store.readOnly ? 'read-only view closed' : finished ? 'finished and saved' : `saved; resume with: ${resume}`;
  print(`runbook: ${safeText(controller.runbook.title)} — ${progress.checked}/${progress.checks} checks, ${progress.stepsDone}/${progress.steps} steps (session ${store.id} ${where}).\n`);
  // The operator may have quit on a failed save: the last word must not read as if everything was kept.
  if (controller.saveError?.startsWith('not saved')) printError(`the last change was ${controller.saveError}`);
}

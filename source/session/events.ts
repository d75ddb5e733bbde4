// What a session records. Every change the operator makes or sees is an event; the state on screen is a fold
// of them, so the durable store only has to append, and the report is the events in order.

import type {CommandNote} from '../exec/types.js';

export type StepStatus = 'not-started' | 'in-progress' | 'done' | 'failed' | 'skipped';

/**
 * What met a step's purpose when the operator did not mark it: a native action that did a block's job (`m`, `A`, `u`),
 * its message templates filled, its rollback triggers assessed.
 */
export const DONE_BY = ['m', 'A', 'u', 'template', 'assessment'] as const;
export type DoneBy = (typeof DONE_BY)[number];
/** The native actions (keys) that can do a block's job. */
export type NativeKey = Extract<DoneBy, 'm' | 'A' | 'u'>;

export interface Actor {
  user: string;
  host: string;
}

/** Where commands were aimed when the event happened. */
export interface Context {
  kubeContext?: string;
  namespace?: string;
  repository?: string;
}

interface Base {
  at: string;
  by?: Actor;
  context?: Context;
  /**
   * Unique across every writer of a shared session (`<writer tag>.<n>`): the cluster copy and a lost driver's branch
   * are merged by it, so no event is lost or counted twice. Absent in sessions that were never shared.
   */
  id?: string;
}

export type SessionEvent = Base &
  (
    | {type: 'session-started'; runbook: {path: string; hash: string; title: string}; mode?: string}
    | {type: 'step-entered'; stepId: string}
    | {type: 'check-toggled'; itemId: string; stepId: string; checked: boolean}
    | {
        type: 'run-started';
        runId: string;
        stepId: string;
        blockId: string;
        command: string;
        outputFile: string | null;
        interactive: boolean;
        /** The block's process group (its shell's pid), so a later start can tell whether it is still running. */
        processGroup?: number;
        /** Which process that pid was (boot and start tick): a later process reusing the pid is not mistaken for it. */
        processStart?: string;
        /** Done by the app itself through this key (`m`, `A`, `u`) rather than by running the block's commands. */
        native?: NativeKey;
      }
    | {
        type: 'run-finished';
        runId: string;
        exitCode: number | null;
        signal: string | null;
        cancelled: boolean;
        durationMs: number;
        lines: number;
        tail: string[];
        error?: string;
        /** The line of the command (1-based) whose failure stopped the block, when bash could tell. */
        failedLine?: number;
        /** Commands of the block (by index, runbook/command-plan.ts) that found nothing or were stopped, and went on. */
        commandNotes?: CommandNote[];
        /**
         * Recorded by a later start for a run whose end runbook did not see (it was killed): what became of it, on one
         * line ("finished while runbook was not running", "ended when runbook was killed", …).
         */
        recovered?: string;
      }
    | {
        type: 'step-marked';
        stepId: string;
        status: 'done' | 'skipped' | 'not-started';
        reason: string;
        /** Set when the app saw the step's purpose met (step-purpose.ts) rather than the operator marking it (d, s). */
        doneBy?: DoneBy;
      }
    | {type: 'variable-set'; name: string; value: string | null; secret: boolean}
    | {type: 'placeholder-set'; text: string; value: string}
    | {
        type: 'shell-changed';
        env: Record<string, string | null>;
        /** Plain (unexported) shell variables the block set (null: unset or exported now); absent in older records. */
        vars?: Record<string, string | null>;
        cwd: string;
      }
    | {
        type: 'note';
        stepId: string;
        text: string;
        /** The template block this note says was filled from the session and copied (Enter on a message template). */
        filled?: string;
        /** The message as copied, for the report (template-facts.ts). */
        message?: string;
        /** The deploy completed at `from`: the runbook's follow-ups by time start counting (session/follow-ups.ts). */
        followUps?: FollowUpsScheduled;
        /** This note ticks the follow-up with this id (`T+15min`) of the latest schedule; the text says what was seen. */
        followUp?: string;
        /** What the operator looked at in the cluster (the pods pane's l p d e): the text says it for older readers. */
        looked?: PodLook;
      }
    | {type: 'refused'; stepId: string; blockId: string; reason: string}
    | {
        /** The incident's lifecycle (incident-lifecycle.ts): the failure first seen by the app, or the incident closed. */
        type: 'incident';
        phase: 'detected' | 'resolved';
        /** What was seen, or the operator's resolution note. */
        what: string;
        /** Where a detection was seen. */
        source?: DetectionSource;
      }
  );

/** A pod's live log, its previous container's log, its description, or its namespace's events, as opened. */
export interface PodLook {
  view: 'logs' | 'previous' | 'describe' | 'events';
  namespace: string;
  pod: string;
}

export const DETECTION_SOURCES = ['pod', 'rollout', 'health', 'pipeline'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

/** The follow-ups recorded when the deploy completed: each is due `afterMs` after `from`. */
export interface FollowUpsScheduled {
  from: string;
  items: Array<{id: string; afterMs: number; action: string; who: string | null}>;
}

export type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, {type: T}>;
/** An event as the caller describes it; the session stamps time, actor and context. */
export type NewEvent = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'at' | 'by' | 'context'> : never) : never;

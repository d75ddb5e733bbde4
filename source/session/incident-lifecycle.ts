// An incident from the first sign of the failure to its close: detected (the first moment the app saw it: a pod
// crash-looping, a rollout past its deadline, a health check or a pipeline job that failed), declared (the severity,
// `I` or `runbook rollback`), mitigated (the rollback rolled out), resolved (`X`, with a note). Every time is counted
// from the first of detection and declaration: a figure counted from the declaration flatters the team by the
// minutes nobody was looking. Pure: the events in, the timeline out.

import type {DetectionSource, SessionEvent} from './events.js';
import {SEVERITY_IN_TEXT} from '../runbook/severity.js';
import {firstRollback} from './rollback-rule.js';

export type IncidentPhase = 'detected' | 'declared' | 'mitigated' | 'resolved';

export interface IncidentTimeline {
  /** Where the phase is now. */
  phase: IncidentPhase;
  detectedAt: string | null;
  /** What was seen, in a line ("pod payments-api-7c… CrashLoopBackOff"). */
  detected: string | null;
  source: DetectionSource | null;
  declaredAt: string | null;
  severity: string | null;
  mitigatedAt: string | null;
  /** The rollback that mitigated it: the command, or the rollback step marked done. */
  mitigatedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  /** The first sign: the detection, else the declaration. Every figure below is counted from it. */
  startedAt: string;
  /** First sign → declaration (0 when it was declared before the app saw anything). */
  timeToDetectMs: number | null;
  timeToMitigateMs: number | null;
  timeToResolveMs: number | null;
}

export const isDeclaration = (e: SessionEvent): boolean => e.type === 'note' && e.text.startsWith('Incident declared');

/**
 * The incident's timeline, or null when the session holds none (nothing detected, nothing declared). `fallbackStart`:
 * when the session is an incident session with no declaration note (older records), it began then.
 */
export function incidentTimeline(events: readonly SessionEvent[], rollbackSteps?: readonly string[] | null, fallbackStart?: string): IncidentTimeline | null {
  const declarationAt = events.findIndex(isDeclaration);
  const detectionAt = events.findIndex(e => e.type === 'incident' && e.phase === 'detected');
  if (declarationAt < 0 && detectionAt < 0 && fallbackStart === undefined) return null;
  const declaration = events[declarationAt];
  const detection = events[detectionAt];
  const declaredAt = declaration?.at ?? (detection ? null : (fallbackStart ?? null));
  const detectedAt = detection?.at ?? null;
  // The journal's order is the order things happened (two hosts' clocks may disagree): the earlier event starts it.
  const firstIndex = [declarationAt, detectionAt].filter(i => i >= 0).reduce((a, b) => Math.min(a, b), events.length);
  const startedAt = events[firstIndex]?.at ?? detectedAt ?? declaredAt ?? fallbackStart ?? new Date(0).toISOString();
  const rollback = firstRollback(events.slice(firstIndex === events.length ? 0 : firstIndex), rollbackSteps);
  const resolved = [...events].reverse().find(e => e.type === 'incident' && e.phase === 'resolved');
  const since = (at: string | null) => (at ? Math.max(0, Date.parse(at) - Date.parse(startedAt)) : null);
  const declaredNote = declaration?.type === 'note' ? declaration.text : '';
  return {
    phase: resolved ? 'resolved' : rollback ? 'mitigated' : declaredAt ? 'declared' : 'detected',
    detectedAt,
    detected: detection?.type === 'incident' ? detection.what : null,
    source: detection?.type === 'incident' ? (detection.source ?? null) : null,
    declaredAt,
    severity: SEVERITY_IN_TEXT.exec(declaredNote)?.[0]?.toUpperCase() ?? null,
    mitigatedAt: rollback?.at ?? null,
    mitigatedBy: rollback?.what ?? null,
    resolvedAt: resolved?.at ?? null,
    resolution: resolved?.type === 'incident' ? resolved.what : null,
    startedAt,
    timeToDetectMs: since(declaredAt),
    timeToMitigateMs: since(rollback?.at ?? null),
    timeToResolveMs: since(resolved?.at ?? null),
  };
}

const clock = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
};

/**
 * The header's words for the incident: `INCIDENT P1 04:12` while open (counted from the first sign), `FAILURE SEEN
 * 00:31` before anyone declared it, `RESOLVED P1 in 12:40` once closed (the clock stopped).
 */
export function incidentLabel(t: IncidentTimeline | null, now: number): string | null {
  if (!t) return null;
  const severity = t.severity ? ` ${t.severity}` : '';
  if (t.resolvedAt) return `RESOLVED${severity} in ${clock(t.timeToResolveMs ?? 0)}`;
  const elapsed = clock(now - Date.parse(t.startedAt));
  if (!t.declaredAt) return `FAILURE SEEN ${elapsed} (I declares)`;
  return `INCIDENT${severity} ${elapsed}${t.mitigatedAt ? ' · mitigated' : ''}`;
}

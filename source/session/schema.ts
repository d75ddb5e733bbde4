// The on-disk shape of a session, validated on every read. A state file outlives the program that wrote it (a
// deploy is resumed days later, after an upgrade), so the file carries a version and older versions are migrated
// forward step by step rather than rejected.

import {z} from 'zod';
import {DETECTION_SOURCES, DONE_BY, type SessionEvent} from './events.js';

export const SESSION_FILE_VERSION = 1;

/** Session ids become file names: no separators, no dot files, nothing a shell would mangle. */
export const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

const actor = z.object({user: z.string(), host: z.string()});
const context = z.object({kubeContext: z.string().optional(), namespace: z.string().optional(), repository: z.string().optional()});
const runbookRef = z.object({path: z.string(), hash: z.string(), title: z.string()});
const base = {at: z.string(), by: actor.optional(), context: context.optional(), id: z.string().optional()};

// Unknown keys are kept (passthrough) so a field added to an event by a newer program survives a round trip
// through an older one instead of being silently stripped.
const ev = <T extends z.ZodRawShape>(shape: T) => z.object({...base, ...shape}).passthrough();

export const eventSchema = z.discriminatedUnion('type', [
  ev({type: z.literal('session-started'), runbook: runbookRef, mode: z.string().optional()}),
  ev({type: z.literal('step-entered'), stepId: z.string()}),
  ev({type: z.literal('check-toggled'), itemId: z.string(), stepId: z.string(), checked: z.boolean()}),
  ev({
    type: z.literal('run-started'),
    runId: z.string(),
    stepId: z.string(),
    blockId: z.string(),
    command: z.string(),
    outputFile: z.string().nullable(),
    interactive: z.boolean(),
    processGroup: z.number().int().positive().optional(),
    processStart: z.string().optional(),
    native: z.enum(['m', 'A', 'u']).optional(),
  }),
  ev({
    type: z.literal('run-finished'),
    runId: z.string(),
    exitCode: z.number().nullable(),
    signal: z.string().nullable(),
    cancelled: z.boolean(),
    durationMs: z.number(),
    lines: z.number(),
    tail: z.array(z.string()),
    error: z.string().optional(),
    failedLine: z.number().int().positive().optional(),
    commandNotes: z.array(z.object({index: z.number().int().nonnegative(), note: z.enum(['no-match', 'stopped'])})).optional(),
    recovered: z.string().optional(),
  }),
  ev({type: z.literal('step-marked'), stepId: z.string(), status: z.enum(['done', 'skipped', 'not-started']), reason: z.string(), doneBy: z.enum(DONE_BY).optional()}),
  ev({type: z.literal('variable-set'), name: z.string(), value: z.string().nullable(), secret: z.boolean()}),
  ev({type: z.literal('placeholder-set'), text: z.string(), value: z.string()}),
  ev({type: z.literal('shell-changed'), env: z.record(z.string().nullable()), vars: z.record(z.string().nullable()).optional(), cwd: z.string()}),
  ev({
    type: z.literal('note'),
    stepId: z.string(),
    text: z.string(),
    filled: z.string().optional(),
    message: z.string().optional(),
    followUps: z.object({from: z.string(), items: z.array(z.object({id: z.string(), afterMs: z.number().nonnegative(), action: z.string(), who: z.string().nullable()}))}).optional(),
    followUp: z.string().optional(),
    looked: z.object({view: z.enum(['logs', 'previous', 'describe', 'events']), namespace: z.string(), pod: z.string()}).optional(),
  }),
  ev({type: z.literal('refused'), stepId: z.string(), blockId: z.string(), reason: z.string()}),
  ev({type: z.literal('incident'), phase: z.enum(['detected', 'resolved']), what: z.string(), source: z.enum(DETECTION_SOURCES).optional()}),
]);

// Compile-time tie between this schema and events.ts: adding an event type or field there without adding it here
// fails `tsc`, instead of failing at runtime by rejecting (or moving aside) a session that holds the new event.
type Parsed = z.infer<typeof eventSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type StripIndex<T> = T extends unknown ? {[K in keyof T as string extends K ? never : K]: T[K]} : never;
const eventSchemaMatchesEvents: Same<StripIndex<Parsed>, SessionEvent> = true;
void eventSchemaMatchesEvents;

export const sessionKinds = ['deploy', 'incident', 'rehearsal'] as const;
export type SessionKind = (typeof sessionKinds)[number];

/** Enough of the runbook's shape to compute step status without reparsing it (status over 1,000 sessions). */
const outlineStep = z.object({id: z.string(), blocks: z.array(z.string()), checks: z.array(z.string())});
export type OutlineStep = z.infer<typeof outlineStep>;

export const sessionFileSchema = z.object({
  version: z.literal(SESSION_FILE_VERSION),
  id: z.string().regex(SESSION_ID),
  runbook: runbookRef,
  kind: z.enum(sessionKinds),
  createdAt: z.string(),
  updatedAt: z.string(),
  finished: z.boolean(),
  finishedAt: z.string().nullable().default(null),
  totals: z.object({checks: z.number().int().nonnegative(), steps: z.number().int().nonnegative()}).nullable().default(null),
  outline: z.array(outlineStep).nullable().default(null),
  /** A rehearsal's world (recorded when it starts), so resuming it rehearses the same scenario at the same speed. */
  rehearsal: z.object({scenario: z.enum(['default', 'bad-release']), speed: z.number().positive().optional()}).optional(),
  events: z.array(eventSchema),
});

export type SessionFile = Omit<z.infer<typeof sessionFileSchema>, 'events'> & {events: SessionEvent[]};

/** One line of the journal: the event and its index in the session, so replays after a compaction are idempotent. */
export const journalLineSchema = z.object({n: z.number().int().nonnegative(), e: eventSchema});

export type Migration = (older: Record<string, unknown>) => Record<string, unknown>;

/**
 * `migrations[v]` turns a version-v file into a version-(v+1) file. Empty while there is only version 1; the next
 * format change adds `1: f => ({...f, version: 2, …})` here and bumps SESSION_FILE_VERSION.
 */
export const migrations: Readonly<Record<number, Migration>> = {};

export class SchemaError extends Error {
  constructor(
    message: string,
    /** A file from a newer program: leave it where it is, it is not damaged. */
    readonly newer = false,
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** Brings a parsed file up to the current version and validates it; throws SchemaError with a one-line reason. */
export function decodeSessionFile(raw: unknown, table: Readonly<Record<number, Migration>> = migrations): SessionFile {
  return decodeVersioned(raw, table).file;
}

/** As decodeSessionFile, also saying which version the bytes were in (a migrated file is rewritten on open). */
export function decodeVersioned(raw: unknown, table: Readonly<Record<number, Migration>> = migrations): {file: SessionFile; fromVersion: number} {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SchemaError('not a session object');
  let data = raw as Record<string, unknown>;
  // A file without a version predates versioning: call it 0, so a migration can claim it.
  let version = typeof data.version === 'number' ? data.version : 0;
  const fromVersion = version;
  if (!Number.isInteger(version)) throw new SchemaError(`version ${String(data.version)} is not a number`);
  if (version > SESSION_FILE_VERSION) {
    throw new SchemaError(`written by a newer runbook (file version ${version}, this one reads up to ${SESSION_FILE_VERSION})`, true);
  }
  while (version < SESSION_FILE_VERSION) {
    const step = table[version];
    if (!step) throw new SchemaError(`file version ${version} has no migration to ${version + 1}`);
    data = step(data);
    if (data.version !== version + 1) throw new SchemaError(`migration from version ${version} produced version ${String(data.version)}`);
    version++;
  }
  const parsed = sessionFileSchema.safeParse(data);
  if (!parsed.success) throw new SchemaError(describeIssue(parsed.error));
  return {file: parsed.data as SessionFile, fromVersion};
}

/** The first problem zod found, on one line: `events.3.type: Invalid discriminator value …`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the session schema';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}${issue.message}${more}`.replace(/\s+/g, ' ');
}

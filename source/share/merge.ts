// Merging by event id: the one rule that keeps a shared session whole. An event recorded before the session was
// shared has no id; it gets one from its place in the journal, the same every time, so publishing it twice (a resumed
// session) or reading it back (a hand-over and back) never makes two of it.

import type {SessionEvent} from '../session/events.js';

/** The event's id, or the one its place in the journal gives it. */
export function eventIdOf(sessionId: string, event: SessionEvent, index: number): string {
  return event.id ?? `${sessionId}.l${index}`;
}

/** Appends to `local` the events it does not have (by id), in the order given; returns how many. */
export function seedMissing(local: {events(): readonly SessionEvent[]; append(event: SessionEvent): void}, events: readonly SessionEvent[], sessionId: string): number {
  const have = new Set(local.events().map((e, i) => eventIdOf(sessionId, e, i)));
  let added = 0;
  for (const event of events) {
    if (event.id && have.has(event.id)) continue;
    local.append(event);
    if (event.id) have.add(event.id);
    added++;
  }
  return added;
}

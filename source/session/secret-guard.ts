// The last check before an event reaches the disk. The controller already keeps secret values out of events, but
// the state dir is copied into tickets and post-mortems, so the store does not rely on every caller getting it
// right: secret values are dropped and every string is run through the output redaction before it is written.

import {redactLine} from '../exec/redact.js';
import {isSecretName, isSecretValue, MIN_GIVEN_SECRET_LENGTH} from '../runbook/secret-names.js';
import type {SessionEvent} from './events.js';

/** Secret values the process already knows: those of secret-named variables in its environment (GITHUB_TOKEN…). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && isSecretValue(name, value))
    .map(([, value]) => value as string);
}

export class SecretGuard {
  private readonly known = new Set<string>();
  private list: string[] = [];

  constructor(secrets: readonly string[] = []) {
    this.add(secrets);
  }

  /** Remembers values to mask wherever they appear later (a token typed once, echoed by a later command). */
  add(values: readonly (string | null | undefined)[]) {
    let changed = false;
    for (const value of values) {
      if (!value || value.length < MIN_GIVEN_SECRET_LENGTH || this.known.has(value)) continue;
      this.known.add(value);
      changed = true;
    }
    if (changed) this.list = [...this.known];
  }

  /**
   * The event as it may be written: secret variable values become null (the fold already treats null as "set,
   * value not kept"), secret-named environment entries are left out (a null there would mean "unset" on resume),
   * and every string is redacted for known values and common secret shapes.
   */
  clean(event: SessionEvent): SessionEvent {
    let out: SessionEvent = event;
    if (event.type === 'variable-set' && (event.secret || isSecretName(event.name))) {
      this.add([event.value]);
      out = {...event, value: null, secret: true};
    } else if (event.type === 'shell-changed') {
      out = {...event, env: this.withoutSecrets(event.env), ...(event.vars ? {vars: this.withoutSecrets(event.vars)} : {})};
    }
    return this.redactDeep(out) as SessionEvent;
  }

  /** Variables as they may be written: secret-named values left out (the plain ones a block set are alike). */
  private withoutSecrets(vars: Record<string, string | null>): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(vars)) {
      // Left out either way; its value is masked elsewhere by the same rule the runner used on the output.
      if (value !== null && isSecretName(name)) {
        if (isSecretValue(name, value)) this.add([value]);
      } else out[name] = value;
    }
    return out;
  }

  private redactDeep(value: unknown): unknown {
    if (typeof value === 'string') return redactLine(value, this.list);
    if (Array.isArray(value)) return value.map(v => this.redactDeep(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      // Keys are redacted too: an env entry can be named after its value (`export "$TOKEN"=1` is rare but legal).
      for (const [k, v] of Object.entries(value)) out[redactLine(k, this.list)] = this.redactDeep(v);
      return out;
    }
    return value;
  }
}

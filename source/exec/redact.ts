// Secret redaction for command output. Output is recorded to disk and shown on screen, and runbooks routinely
// print tokens (kubeconfigs, `vault read`, curl -v), so masking happens before anything leaves the runner.
// Key names are kept (`password=[REDACTED]`) so the output still reads as what it was.

export const REDACTED = '[REDACTED]';

// Which variable names are secret is decided in one place for the whole app.
import {isSecretName, MIN_GIVEN_SECRET_LENGTH} from '../runbook/secret-names.js';
export {isSecretName};

// Key names whose value is a secret in `key=value`, `key: value` and JSON forms. A name must *end* with one of
// these (`access_token`, `DB_PASSWORD`, `X-Api-Key`), so `secretName:` or `tokenizer=` stay readable.
const KEY_WORDS =
	'(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client-key-data|credentials?)s?';
const VALUE = `(?:"(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s"'&;,]+)`;

// `needs`: lower-case substrings of which a line must contain one for the rule to apply. Checking them first skips
// the regexes on almost every line, which is what keeps a flood of (even secret-laden) output fast.
type Rule = {needs: string[]; pattern: RegExp; replace: string | ((...groups: string[]) => string)};

const KEY_NEEDS = ['pass', 'secret', 'token', 'key', 'credential'];

const RULES: Rule[] = [
	// PEM private key on one line (JSON-escaped or pasted): keep the armour lines, drop the body.
	{
		needs: ['private key'],
		pattern: /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)(.+?)(-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
		replace: (_m, begin = '', _body, end = '') => `${begin}${REDACTED}${end}`,
	},
	{needs: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], pattern: /\b(gh[pousr]_)[A-Za-z0-9]{20,}\b/g, replace: `$1${REDACTED}`},
	{needs: ['github_pat_'], pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replace: `github_pat_${REDACTED}`},
	{needs: ['xox'], pattern: /\b(xox[baprs]-)[A-Za-z0-9-]{8,}/g, replace: `$1${REDACTED}`},
	{needs: ['akia', 'asia'], pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: `$1${REDACTED}`},
	// JWTs: service-account tokens and OIDC id-tokens show up in kubeconfigs and curl output.
	{needs: ['eyj'], pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/g, replace: REDACTED},
	{needs: ['bearer'], pattern: /\b(bearer\s+)(?!\[REDACTED\])[A-Za-z0-9\-._~+/]+=*/gi, replace: `$1${REDACTED}`},
	{
		needs: ['authorization'],
		pattern: /\b(authorization\s*[:=]\s*["']?)(?!bearer\b)(?:(basic|token|digest|negotiate)\s+)?(?!\[REDACTED\])[^\s"',;]+/gi,
		replace: (_m, prefix = '', scheme) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`,
	},
	// scheme://user:password@host
	{needs: ['://'], pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)(?!\[REDACTED\]@)[^\s@/]+@/gi, replace: `$1${REDACTED}@`},
	// JSON / Python dicts: "password": "…", 'token': '…', "auth": "…" (docker config.json).
	{
		needs: [...KEY_NEEDS, 'auth'],
		pattern: new RegExp(`(["'][\\w.-]*?(?:${KEY_WORDS}|auth)["']\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|'[^']*')`, 'gi'),
		replace: `$1"${REDACTED}"`,
	},
	// key=value, key: value (env dumps, query strings, YAML, kubeconfig token:/client-key-data:, ini files). Only the
	// end of the name is matched: whatever precedes it (DB_, x-api-) stays as it is.
	{
		needs: KEY_NEEDS,
		pattern: new RegExp(`(${KEY_WORDS})(\\s*[=:]\\s*)(?!\\[REDACTED\\])${VALUE}`, 'gi'),
		replace: `$1$2${REDACTED}`,
	},
	// A shell assignment to any secret-named variable (`GITHUB_PAT=…`, `DB_CRED=…`, `set -x` tracing `+ F_PASS=…` or
	// `+ export 'X_AUTH=a b'`): the name decides, as everywhere else.
	{
		needs: [...KEY_NEEDS, 'auth', 'cred', 'pat', 'private'],
		pattern: /(?<![\w$])(?:'([A-Za-z_]\w*)=([^']*)'|([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'&;,]+))/g,
		replace: (whole, quotedName, quotedValue, name = '', value = '') => {
			// Paths and plain numbers (`KEY_FILE=/…`, `TOKEN_TTL=3600`) stay readable, as for values from the environment.
			const masked = (n: string, v: string) => isSecretName(n) && v !== REDACTED && !/^["']?(?:\/|\d+["']?$)/.test(v);
			if (quotedName !== undefined) return masked(quotedName, quotedValue) ? `'${quotedName}=${REDACTED}'` : whole;
			return masked(name, value) ? `${name}=${REDACTED}` : whole;
		},
	},
];

// Every rule needs one of these; text containing none of them skips redaction entirely. Each line is searched for
// each trigger once, and a rule runs only if one of its triggers (a bit in a mask) was found.
const TRIGGERS = [...new Set(RULES.flatMap((rule) => rule.needs))];
const RULE_MASKS = RULES.map((rule) => rule.needs.reduce((mask, needle) => mask | (1 << TRIGGERS.indexOf(needle)), 0));

function triggersIn(lower: string): number {
	let found = 0;
	for (let i = 0; i < TRIGGERS.length; i++) if (lower.includes(TRIGGERS[i] as string)) found |= 1 << i;
	return found;
}

function normaliseSecrets(secrets: readonly string[]): string[] {
	const unique = new Set(secrets.filter((s) => s.length >= MIN_GIVEN_SECRET_LENGTH));
	// Longest first, so a secret that contains another is masked whole.
	return [...unique].sort((a, b) => b.length - a.length);
}

function mightContainShape(text: string): boolean {
	const lower = text.toLowerCase();
	for (const trigger of TRIGGERS) if (lower.includes(trigger)) return true;
	return false;
}

if (TRIGGERS.length > 31) throw new Error('redact: too many triggers for a 32-bit mask');

function redactWith(line: string, values: readonly string[]): string {
	let out = line;
	for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
	// Replacements only ever remove text that matched, never add a trigger, so one search serves all rules.
	const found = triggersIn(out.toLowerCase());
	if (found === 0) return out;
	for (let i = 0; i < RULES.length; i++) {
		const rule = RULES[i] as Rule;
		if ((found & (RULE_MASKS[i] ?? 0)) === 0) continue;
		rule.pattern.lastIndex = 0;
		// The overloads of replace() do not accept a string|function union.
		out = typeof rule.replace === 'string' ? out.replace(rule.pattern, rule.replace) : out.replace(rule.pattern, rule.replace);
	}
	return out;
}

/** Masks known secret values and common secret shapes in one line of output. */
export function redactLine(line: string, secrets: readonly string[] = []): string {
	return redactWith(line, normaliseSecrets(secrets));
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----\s*$/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
// Inside a PEM block only base64, the legacy encryption headers and blank lines occur; anything else means the
// block was cut short, and masking must stop rather than swallow the rest of the output.
const PEM_BODY = /^\s*(?:[A-Za-z0-9+/=]+|Proc-Type:.*|DEK-Info:.*)?\s*$/;

export type Redactor = {
	/** Redacts the next line of a stream, tracking multi-line private key blocks. */
	line(line: string): string;
	/** Redacts a fragment without advancing the stream state (for an unterminated last line). */
	peek(text: string): string;
	/**
	 * Whether a chunk of text could need any masking. False only when no line in it can change, so the caller may
	 * copy the chunk through untouched.
	 */
	mayRedact(text: string): boolean;
	/** Secret values learned while the stream runs (a block's own `export DB_PASSWORD=…`): masked from then on. */
	add(secrets: readonly string[]): void;
};

export function createRedactor(secrets: readonly string[] = []): Redactor {
	let values = normaliseSecrets(secrets);
	let inPem = false;
	return {
		line(line) {
			if (inPem) {
				if (PEM_END.test(line)) {
					inPem = false;
					return line;
				}
				if (PEM_BODY.test(line)) return line.trim() === '' ? line : (/^\s*/.exec(line)?.[0] ?? '') + REDACTED;
				inPem = false;
			}
			if (PEM_BEGIN.test(line)) inPem = true;
			return redactWith(line, values);
		},
		peek(text) {
			return inPem && PEM_BODY.test(text) && text.trim() !== '' ? REDACTED : redactWith(text, values);
		},
		mayRedact(text) {
			if (inPem || mightContainShape(text)) return true;
			for (const value of values) if (text.includes(value)) return true;
			return false;
		},
		add(more) {
			values = normaliseSecrets([...values, ...more]);
		},
	};
}

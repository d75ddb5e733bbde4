// A variable whose name says it is a secret is masked on screen and never written to state. The one list for the
// whole app: the runbook engine, the runner's redaction, the store's guard and the shell's live watch all ask here.
// Whole name parts (split on `_`, `-`, `.`) rather than substrings, so KUBECONFIG, MONKEY or TOKENIZER_PATH are not secrets.
export const SECRET_PARTS: readonly string[] = [
  'TOKEN', 'TOKENS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'KEY', 'KEYS',
  'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATE', 'AUTH', 'PAT',
];
const PARTS = new Set(SECRET_PARTS);

/**
 * Parts that make a name secret by how they begin: `*_CRED*` (DB_CRED, GCP_CREDFILE_JSON, VAULT_CREDSTORE). Names
 * such as `*_PRIVATE_KEY*` are covered by PRIVATE already.
 */
export const SECRET_PART_PREFIXES: readonly string[] = ['CRED'];

export function isSecretName(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .some(part => PARTS.has(part) || SECRET_PART_PREFIXES.some(prefix => part.startsWith(prefix)));
}

/**
 * The same test as a bash `case` pattern over `_${NAME^^}_` (shell names only have `_` between parts), for the
 * block's shell to tell which of its own assignments to report before they can be printed.
 */
export function secretNameCasePattern(): string {
  return [...SECRET_PARTS.map(part => `*_${part}_*`), ...SECRET_PART_PREFIXES.map(prefix => `*_${prefix}*`)].join('|');
}

// Two minimum lengths, because there are two ways a value becomes a secret, and blanking ordinary output is a cost:
// every match of a masked value anywhere in the output or the record turns into [REDACTED].

/**
 * A value the operator gave as secret (typed at a secret prompt, passed in from a vault): known to be one, so only
 * the shortest ("1", "yes") are left readable, since masking them would blank ordinary text everywhere.
 */
export const MIN_GIVEN_SECRET_LENGTH = 4;

/**
 * A value taken for secret only because of its variable's name (the environment, a block's own assignments): a guess,
 * so it is masked from six characters (`hunter2` is) and never when it is a path or a plain number (`KEY_FILE=/…`,
 * `TOKEN_TTL=3600`, `AUTH_MODE=none`), which ordinary output is full of.
 */
export const MIN_NAMED_SECRET_LENGTH = 6;

/** Whether `value`, held by the variable `name`, is masked wherever it appears (see MIN_NAMED_SECRET_LENGTH). */
export function isSecretValue(name: string, value: string): boolean {
  return isSecretName(name) && value.length >= MIN_NAMED_SECRET_LENGTH && !value.startsWith('/') && !/^\d+$/.test(value);
}

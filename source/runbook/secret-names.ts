// A variable whose name says it is a secret is masked on screen and never written to state. The one list for the
// whole app: the runbook engine, the runner's redaction and the store's guard all ask here.
// Whole name parts (split on `_`, `-`, `.`) rather than substrings, so KUBECONFIG, MONKEY or TOKENIZER_PATH are not secrets.
const SECRET_PARTS = new Set([
  'TOKEN', 'TOKENS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'KEY', 'KEYS',
  'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATE', 'AUTH', 'PAT',
]);

export function isSecretName(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .some(part => SECRET_PARTS.has(part));
}

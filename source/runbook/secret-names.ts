// A variable whose name says it is a secret is masked on screen and never written to state.
const SECRET_PARTS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'PASS', 'SECRET', 'KEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATE', 'AUTH', 'APIKEY', 'PAT']);

export function isSecretName(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .some(part => SECRET_PARTS.has(part));
}

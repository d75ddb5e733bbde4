/** Bad input the operator can fix: printed as one line, exit code 2, no stack trace. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

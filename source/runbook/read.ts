import {decodeRunbook, readRunbookBytes} from './file.js';
import type {Runbook} from './model.js';
import {parseRunbook} from './parse.js';

export {decodeRunbook, MAX_RUNBOOK_BYTES, readRunbookBytes} from './file.js';

export function readRunbookFile(path: string): Runbook {
  const {text, warnings} = decodeRunbook(path, readRunbookBytes(path));
  return parseRunbook(text, {path, warnings});
}

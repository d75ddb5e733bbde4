// Reading a runbook file: every way a file can be unusable gets one line naming the file and what to do.
// Kept apart from the parser so that start-up with a cached model never loads remark.

import {closeSync, openSync, readSync, statSync} from 'node:fs';
import {InputError} from './errors.js';
import {repairMacRomanMojibake} from './mojibake.js';

export const MAX_RUNBOOK_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', {fatal: true});

export function decodeRunbook(path: string, bytes: Uint8Array): {text: string; warnings: string[]} {
  if (bytes.subarray(0, 8192).includes(0)) throw new InputError(`${path}: this is a binary file, not markdown`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InputError(`${path}: not valid UTF-8 (${firstInvalidByte(bytes)}); save it as UTF-8 and try again`);
  }
  const warnings: string[] = [];
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new InputError(`${path}: the file is empty; a runbook needs at least one heading or paragraph`);
  const repair = repairMacRomanMojibake(text);
  if (repair.repaired > 0) {
    text = repair.text;
    warnings.push(`repaired ${repair.repaired} characters that had been mis-decoded as Mac Roman (emoji and symbols restored)`);
  }
  return {text, warnings};
}

function firstInvalidByte(bytes: Uint8Array): string {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const prefix = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
  return `line ${prefix.split('\n').length}, byte ${Buffer.byteLength(prefix)}`;
}

export function readRunbookBytes(path: string): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(`${path}: is a directory; give the path of a markdown file`);
    if (!stat.isFile()) throw new InputError(`${path}: is not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file; check the path (runbooks live in ./runbooks)`);
    if (code === 'EACCES') throw new InputError(`${path}: permission denied`);
    throw new InputError(`${path}: cannot be read (${code ?? (error as Error).message})`);
  }
  if (size > MAX_RUNBOOK_BYTES)
    throw new InputError(`${path}: ${(size / 1024 / 1024).toFixed(1)} MB is too large for a runbook (the limit is ${MAX_RUNBOOK_BYTES / 1024 / 1024} MB); split it`);
  const bytes = Buffer.alloc(size);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

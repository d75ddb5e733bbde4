// The header's one line: the runbook's title on the left, where commands go on the right (mode, kube context,
// namespace, repository). Pure. Nothing is cut while a blank column remains: when the line is too long, the
// least telling part gives way first, each only as far as needed —
//   1. the repository's owner (`acme-pl…/payments-api`), cut to exactly the room left;
//   2. the sandbox's scenario (`sandbox (default)` → `sandbox`), then the word sandbox (REHEARSAL says it);
//   3. the `runbook · ` before the title;
//   4. the repository's name, then the repository;
//   5. the title (the target on the right stays whole: it says where commands go), then the target itself.

import {truncate, truncateStart, width as textWidth} from './text.js';

export interface HeaderParts {
  mode: string | null;
  /** `ctx prod-eu`, or what says there is none. */
  context: string;
  /** `ns payments` */
  namespace: string | null;
  repository: string | null;
}

export interface HeaderLine {
  left: string;
  right: string;
  /** Spaces between them. */
  gap: number;
}

const SEP = ' · ';
/** At least two spaces between title and target, and the last column left empty. */
const CHROME = 3;

/** `owner/name` in `room` columns: the owner gives way first, then the start of the name. */
export function fitRepository(repository: string, room: number): string {
  if (textWidth(repository) <= room) return repository;
  const slash = repository.indexOf('/');
  const name = slash >= 0 ? repository.slice(slash + 1) : repository;
  if (slash >= 0 && textWidth(name) + 2 <= room) return `${truncate(repository.slice(0, slash), room - textWidth(name) - 1)}/${name}`;
  return truncateStart(repository, room);
}

const join = (parts: Array<string | null>) => parts.filter(Boolean).join(SEP);

/** The mode, step by step less detailed: the sandbox's scenario goes, then the word sandbox. */
function modes(mode: string | null): Array<string | null> {
  if (!mode) return [null];
  const plain = mode.replace(/ · sandbox \([^)]*\)/, ' · sandbox');
  const bare = plain.replace(/ · sandbox\b/, '');
  return [...new Set([mode, plain, bare])];
}

/** The first arrangement that fits `width`, as described at the top of this file. */
export function fitHeader(title: string, parts: HeaderParts, width: number): HeaderLine {
  const line = (left: string, right: string): HeaderLine => ({left, right, gap: Math.max(1, width - textWidth(left) - textWidth(right) - 1)});
  const fits = (left: string, right: string) => textWidth(left) + textWidth(right) + CHROME <= width;
  const {context, namespace, repository} = parts;
  const all = modes(parts.mode);
  const lefts = [` runbook · ${title}`, ` ${title}`];
  const arrangements = [...all.map(mode => ({left: lefts[0]!, mode})), {left: lefts[1]!, mode: all[all.length - 1]!}];
  for (const {left, mode} of arrangements) {
    const right = join([mode, context, namespace]);
    if (!repository) {
      if (fits(left, right)) return line(left, right);
      continue;
    }
    const room = width - CHROME - textWidth(left) - textWidth(right) - SEP.length;
    const slash = repository.indexOf('/');
    // Only the owner may go at this stage: the repository's name stays whole.
    const minimum = slash >= 0 ? textWidth(repository.slice(slash + 1)) + 2 : textWidth(repository);
    if (room >= Math.min(textWidth(repository), minimum)) return line(left, join([right, fitRepository(repository, room)]));
  }
  const left = lefts[1]!;
  const right = join([all[all.length - 1]!, context, namespace]);
  const room = width - CHROME - textWidth(left) - textWidth(right) - SEP.length;
  if (repository && room >= 12) return line(left, join([right, fitRepository(repository, room)]));
  if (fits(left, right)) return line(left, right);
  // The title gives way to the target, down to a few columns; then the target too.
  const titleRoom = width - CHROME - textWidth(right) - 1;
  if (titleRoom >= 12) return line(` ${truncate(title, titleRoom)}`, right);
  const shortLeft = ` ${truncate(title, Math.min(textWidth(title), 12, Math.max(1, width - CHROME - 1)))}`;
  return line(shortLeft, truncate(right, Math.max(0, width - CHROME - textWidth(shortLeft))));
}

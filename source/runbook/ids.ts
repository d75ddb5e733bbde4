// Stable ids: derived from the heading path and the item's own text, never from positions, so editing one
// section leaves every other section's ids (and the state recorded against them) untouched.

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '') || 'untitled';
}

/** Hands out ids, suffixing repeats (`~2`, `~3`) in order of appearance. */
export class IdRegistry {
  private readonly seen = new Map<string, number>();

  take(base: string): string {
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  }
}

// Repairs UTF-8 text that was once decoded as Mac Roman and saved again ("‚úÖ" for "✅", "üî¥" for "🔴").
// Each original non-ASCII character became a run of 2–4 Mac Roman characters from the upper half, so we map
// such runs back to bytes and keep only what decodes as valid UTF-8. The Mac Roman byte 0xF0 (the Apple logo,
// a private-use character) is usually dropped on the way, which is why a 4-byte emoji often shows up with its
// lead byte missing: a run starting at 0x9F followed by two continuation bytes is read as F0 9F xx xx.

const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

const byteOf = new Map<string, number>();
for (let i = 0; i < MAC_ROMAN_HIGH.length; i++) byteOf.set(MAC_ROMAN_HIGH[i]!, 0x80 + i);

const runPattern = new RegExp(`[${MAC_ROMAN_HIGH.replace(/[\]\\^-]/g, '\\$&')}]{2,}`, 'gu');
const strictUtf8 = new TextDecoder('utf-8', {fatal: true});

export interface Repair {
  text: string;
  /** How many characters were restored. */
  repaired: number;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const isContinuation = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf;

function decode(bytes: number[]): string | null {
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Decodes one run; returns the repaired run and how many characters came back (0: leave it alone). */
function repairRun(run: string): {text: string; count: number; longest: number} {
  const chars = [...run];
  const bytes = chars.map(c => byteOf.get(c)!);
  let out = '';
  let count = 0;
  let longest = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n = sequenceLength(b);
    let seq: number[] | null = n > 0 ? bytes.slice(i, i + n) : null;
    if (!seq && b === 0x9f && isContinuation(bytes[i + 1]) && isContinuation(bytes[i + 2])) {
      n = 3;
      seq = [0xf0, ...bytes.slice(i, i + 3)];
    }
    const decoded = seq && seq.length >= 2 && seq.slice(1).every(isContinuation) ? decode(seq) : null;
    if (decoded && ![...decoded].some(ch => ch.charCodeAt(0) < 0x80)) {
      out += decoded;
      count++;
      longest = Math.max(longest, seq!.length);
      i += n;
    } else {
      out += chars[i];
      i++;
    }
  }
  return {text: out, count, longest};
}

/**
 * Repairs Mac Roman mojibake when the evidence is strong: at least one 3- or 4-byte character restored, or
 * three 2-byte ones. A lone "é" or "Ç" written on purpose is never a valid UTF-8 sequence, so it stays.
 */
export function repairMacRomanMojibake(text: string): Repair {
  let repaired = 0;
  let strong = false;
  const fixed = text.replace(runPattern, run => {
    const r = repairRun(run);
    repaired += r.count;
    if (r.longest >= 3) strong = true;
    return r.text;
  });
  if (repaired === 0 || (!strong && repaired < 3)) return {text, repaired: 0};
  // Emoji presentation selectors often lose their own lead bytes; drop any orphaned private-use logo left behind.
  return {text: fixed.replace(/\uf8ff/g, ''), repaired};
}

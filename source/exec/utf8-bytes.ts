// Byte-level helpers for the output hot path: a million-line flood must not cost a JavaScript string per line.

/** Number of `\n` bytes in buf[0, end). Reads four bytes at a time (SWAR), several times faster than a byte loop. */
export function countNewlines(buf: Uint8Array, end: number = buf.length): number {
	let count = 0;
	let i = 0;
	const offset = buf.byteOffset;
	while (i < end && ((offset + i) & 3) !== 0) {
		if (buf[i] === 10) count++;
		i++;
	}
	const words = (end - i) >>> 2;
	if (words > 0) {
		const view = new Uint32Array(buf.buffer, offset + i, words);
		for (let w = 0; w < words; w++) {
			const x = (view[w] ?? 0) ^ 0x0a0a0a0a;
			// 0x80 in every byte of x that is zero, i.e. every byte that was a newline; exact, no carries between bytes.
			const zeroBytes = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
			count += Math.imul(zeroBytes >>> 7, 0x01010101) >>> 24;
		}
		i += words * 4;
	}
	for (; i < end; i++) if (buf[i] === 10) count++;
	return count;
}

/** Largest n <= buf.length such that buf[0, n) does not end inside a UTF-8 sequence. */
export function utf8SafeEnd(buf: Uint8Array): number {
	const length = buf.length;
	for (let back = 1; back <= Math.min(3, length); back++) {
		const byte = buf[length - back] ?? 0;
		if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
		const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
		return needed > back ? length - back : length;
	}
	return length;
}

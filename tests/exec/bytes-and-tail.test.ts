import {describe, expect, it} from 'vitest';
import {startOfLastLines, TailBuffer} from '../../source/exec/tail-buffer.js';
import {countNewlines, utf8SafeEnd} from '../../source/exec/utf8-bytes.js';

describe('countNewlines', () => {
	it('agrees with a byte loop at every alignment and length', () => {
		const pool = Buffer.alloc(600);
		let seed = 7;
		for (let i = 0; i < pool.length; i++) {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			pool[i] = seed % 5 === 0 ? 10 : seed % 256;
		}
		for (let start = 0; start < 8; start++) {
			for (const length of [0, 1, 3, 4, 5, 17, 64, 513]) {
				const slice = pool.subarray(start, start + length);
				const expected = [...slice].filter((byte) => byte === 10).length;
				expect(countNewlines(slice)).toBe(expected);
			}
		}
		expect(countNewlines(Buffer.from('a\nb\nc'), 3)).toBe(1);
	});
});

describe('utf8SafeEnd', () => {
	it('stops before an incomplete character', () => {
		const euro = Buffer.from('a€'); // 61 e2 82 ac
		expect(utf8SafeEnd(euro)).toBe(4);
		expect(utf8SafeEnd(euro.subarray(0, 3))).toBe(1);
		expect(utf8SafeEnd(euro.subarray(0, 2))).toBe(1);
		expect(utf8SafeEnd(Buffer.from('abc'))).toBe(3);
		expect(utf8SafeEnd(Buffer.from('😀').subarray(0, 3))).toBe(0);
		expect(utf8SafeEnd(Buffer.alloc(0))).toBe(0);
	});
});

describe('TailBuffer', () => {
	it('keeps the last lines across segments', () => {
		const tail = new TailBuffer(3, 80);
		tail.push('a\nb\n', 2);
		expect(tail.lines()).toEqual(['a', 'b']);
		tail.push('c\nd\n', 2);
		expect(tail.lines()).toEqual(['b', 'c', 'd']);
		tail.push('1\n2\n3\n4\n5\n', 5);
		expect(tail.lines()).toEqual(['3', '4', '5']);
		tail.push('\n', 1);
		expect(tail.lines()).toEqual(['4', '5', '']);
	});

	it('cuts very long lines as they arrive', () => {
		const tail = new TailBuffer(2, 10);
		tail.push(`${'x'.repeat(10_000)}\n`, 1);
		expect(tail.lines()).toEqual([`${'x'.repeat(9)}…`]);
	});

	it('finds where the last lines start', () => {
		expect(startOfLastLines('a\nb\nc\n', 2)).toBe(2);
		expect(startOfLastLines('a\nb\nc\n', 5)).toBe(0);
		expect(startOfLastLines('\nA\n', 1)).toBe(1);
		expect(startOfLastLines('\nA\n', 2)).toBe(0);
	});
});

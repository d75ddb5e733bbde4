// The namespace a runbook step works on, read from its commands' `-n X`, `-nX`, `-n=X`,
// `--namespace X` and `--namespace=X`, counted only where they belong to kubectl (or helm, oc):
// `watch -n 2 "kubectl get pods -n prod"` is a 2-second interval around a command in `prod`.
// Commands are split the way a shell would (quotes, pipes, `&&`, `$(…)`), not with a regex.

const TOOLS = new Set(['kubectl', 'helm', 'oc', 'kubecolor', 'k9s']);
/** Wrappers that run the rest of the line as a command, with how many of their own arguments to skip. */
const WRAPPERS: Record<string, number> = {sudo: 0, time: 0, nohup: 0, exec: 0, command: 0, env: 0, nice: 0, stdbuf: 0, timeout: 1};
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash']);
/** `watch` options that take a value. */
const WATCH_VALUE_OPTIONS = new Set(['-n', '--interval', '-q', '--equexit']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Token = {word: string} | {op: string};

/** Shell words and operators; `$(…)` and backquoted commands are handed to `nested`. */
function tokenize(text: string, nested: (inner: string) => void): Token[] {
	const tokens: Token[] = [];
	let word = '';
	let inWord = false;
	const flush = () => {
		if (inWord) tokens.push({word});
		word = '';
		inWord = false;
	};
	/** Index just past the `)` matching an opening at `start` (quotes respected). */
	const closing = (start: number): number => {
		let depth = 1;
		for (let j = start; j < text.length; j++) {
			const ch = text[j];
			if (ch === '\\') j++;
			else if (ch === "'") j = Math.max(j, text.indexOf("'", j + 1));
			else if (ch === '(') depth++;
			else if (ch === ')' && --depth === 0) return j + 1;
		}
		return text.length;
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (c === '\\') {
			if (text[i + 1] === '\n') i++;
			else {
				word += text[++i] ?? '';
				inWord = true;
			}
		} else if (c === "'") {
			const end = text.indexOf("'", i + 1);
			word += text.slice(i + 1, end < 0 ? undefined : end);
			inWord = true;
			i = end < 0 ? text.length : end;
		} else if (c === '"') {
			inWord = true;
			for (i++; i < text.length && text[i] !== '"'; i++) {
				if (text[i] === '\\' && i + 1 < text.length) i++;
				if (text[i] === '$' && text[i + 1] === '(') {
					const end = closing(i + 2);
					nested(text.slice(i + 2, end - 1));
					word += text.slice(i, end);
					i = end - 1;
					continue;
				}
				word += text[i];
			}
		} else if (c === '$' && text[i + 1] === '(') {
			const end = closing(i + 2);
			nested(text.slice(i + 2, end - 1));
			word += text.slice(i, end);
			inWord = true;
			i = end - 1;
		} else if (c === '`') {
			const end = text.indexOf('`', i + 1);
			nested(text.slice(i + 1, end < 0 ? undefined : end));
			inWord = true;
			i = end < 0 ? text.length : end;
		} else if (c === '#' && !inWord) {
			const end = text.indexOf('\n', i);
			i = end < 0 ? text.length : end - 1;
		} else if (/[\s|&;()<>]/.test(c)) {
			// A redirection's digits (`2>`) belong to the operator, not to a word.
			const redirect = (c === '>' || c === '<') && /^\d+$/.test(word);
			if (redirect) word = '';
			flush();
			if (c === '>' || c === '<') tokens.push({op: 'redirect'});
			else if (c !== ' ' && c !== '\t') tokens.push({op: c});
			if (c === '>' && text[i + 1] === '&') i++;
		} else {
			word += c;
			inWord = true;
		}
	}
	flush();
	return tokens;
}

function simpleCommands(tokens: Token[]): string[][] {
	const commands: string[][] = [[]];
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i]!;
		if ('word' in t) commands.at(-1)!.push(t.word);
		else if (t.op === 'redirect') {
			while (tokens[i + 1] && 'op' in tokens[i + 1]! && (tokens[i + 1] as {op: string}).op === 'redirect') i++;
			i++; // the redirection's target
		} else commands.push([]);
	}
	return commands.filter(c => c.length > 0);
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function scanCommand(words: string[], found: string[]): void {
	let i = 0;
	while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
	const program = basename(words[i] ?? '');
	const rest = words.slice(i + 1);
	if (program in WRAPPERS) {
		let j = 0;
		while (j < rest.length && (rest[j]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[j]!))) j++;
		return scanCommand(rest.slice(j + WRAPPERS[program]!), found);
	}
	if (program === 'watch') {
		let j = 0;
		while (j < rest.length && rest[j]!.startsWith('-')) j += WATCH_VALUE_OPTIONS.has(rest[j]!) ? 2 : 1;
		const inner = rest.slice(j);
		// `watch "kubectl …"` runs its single argument through sh -c.
		return inner.length === 1 ? scanText(inner[0]!, found) : scanCommand(inner, found);
	}
	if (SHELLS.has(program)) {
		const c = rest.indexOf('-c');
		if (c >= 0 && rest[c + 1] !== undefined) scanText(rest[c + 1]!, found);
		return;
	}
	if (!TOOLS.has(program)) return;
	for (let j = 0; j < rest.length; j++) {
		const a = rest[j]!;
		if (a === '--') break; // what follows belongs to the command kubectl exec/run starts
		let value: string | undefined;
		if (a === '-n' || a === '--namespace') value = rest[++j];
		else if (a.startsWith('--namespace=')) value = a.slice('--namespace='.length);
		else if (a.startsWith('-n=')) value = a.slice(3);
		else if (/^-n[^-]/.test(a)) value = a.slice(2);
		if (value !== undefined && DNS_LABEL.test(value)) found.push(value);
	}
}

function scanText(text: string, found: string[]): void {
	// Substitutions run before the command around them, so their namespaces come first.
	const tokens = tokenize(text, inner => scanText(inner, found));
	for (const words of simpleCommands(tokens)) scanCommand(words, found);
}

/** Every namespace the commands name, in order of appearance. */
export function commandNamespaces(commands: readonly string[]): string[] {
	const found: string[] = [];
	for (const command of commands) scanText(command, found);
	return found;
}

/** The namespace named most often by the step's commands (a tie goes to the one named last), else null. */
export function stepNamespace(commands: readonly string[]): string | null {
	const found = commandNamespaces(commands);
	const stats = new Map<string, {count: number; last: number}>();
	found.forEach((ns, i) => {
		const s = stats.get(ns) ?? {count: 0, last: 0};
		s.count++;
		s.last = i;
		stats.set(ns, s);
	});
	let best: string | null = null;
	let bestStat = {count: 0, last: -1};
	for (const [ns, s] of stats) {
		if (s.count > bestStat.count || (s.count === bestStat.count && s.last > bestStat.last)) {
			best = ns;
			bestStat = s;
		}
	}
	return best;
}

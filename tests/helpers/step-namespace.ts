// A step's namespace as the panes once read it (the most frequent `-n` of its kubectl commands): kept as the
// oracle that the runbook's targets (source/runbook/targets.ts, what the panes read now) must agree with. Built on
// the one shell tokenizer's targetsOfCommand, so its cases (`watch -n 2`, `grep -n`, `psql -n`) test that too.

import {targetsOfCommand} from '../../source/runbook/command-targets.js';

/** Every namespace the commands name literally, in order of appearance (`$NAMESPACE` waits for an answer). */
export function commandNamespaces(commands: readonly string[]): string[] {
	return commands.flatMap(command => targetsOfCommand(command).namespaces.filter(n => n.variables.length === 0).map(n => n.text));
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

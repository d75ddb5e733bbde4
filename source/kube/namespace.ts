// The namespace a runbook step works on, read from its commands' `-n X`, `-nX`, `-n=X`,
// `--namespace X` and `--namespace=X`, counted only where they belong to kubectl (or helm, oc):
// `watch -n 2 "kubectl get pods -n prod"` is a 2-second interval around a command in `prod`.
// The commands are read by the runbook's one shell tokenizer (quotes, pipes, `&&`, `$(…)`, `watch`, `sh -c`).

import {targetsOfCommand} from '../runbook/command-targets.js';

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

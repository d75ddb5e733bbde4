// Which images misbehave, per scenario. Adding a failure mode is one row here plus a case in the
// kubelet simulation; the controller never looks at image names itself.

export type ImageBehaviour =
	/** Starts, turns ready, logs requests. */
	| 'healthy'
	/** Starts, logs a traceback, exits 1; restarted with CrashLoopBackOff back-off. */
	| 'crash-loop'
	/** The registry refuses the tag: ErrImagePull then ImagePullBackOff. */
	| 'image-pull-backoff'
	/** Runs but its readiness probe never passes. */
	| 'never-ready';

export type ScenarioName = 'default' | 'bad-release';

export interface ImageRule {
	/** Matched against the full image reference. */
	image: RegExp;
	behaviour: ImageBehaviour;
}

const COMMON_RULES: ImageRule[] = [
	// Handy in any scenario for trying the other failure modes by hand.
	{image: /:does-not-exist$/, behaviour: 'image-pull-backoff'},
	{image: /:never-ready$/, behaviour: 'never-ready'},
	{image: /:crash-loop$/, behaviour: 'crash-loop'},
];

export const SCENARIOS: Record<ScenarioName, ImageRule[]> = {
	default: COMMON_RULES,
	'bad-release': [{image: /:v1\.2\.0$/, behaviour: 'crash-loop'}, ...COMMON_RULES],
};

export function isScenario(name: string): name is ScenarioName {
	return Object.hasOwn(SCENARIOS, name);
}

export function behaviourFor(scenario: ScenarioName, image: string): ImageBehaviour {
	return SCENARIOS[scenario].find(rule => rule.image.test(image))?.behaviour ?? 'healthy';
}

/** Simulated durations at speed 1, in milliseconds. Divided by `speed` at run time. */
export const TIMINGS = {
	tick: 250,
	schedule: 300,
	containerCreating: 1000,
	readiness: 1000,
	crashAfter: 1500,
	backoffBase: 10_000,
	backoffMax: 300_000,
	pullBackoffBase: 5_000,
	terminate: 1500,
	bookmarkInterval: 15_000,
	logLineInterval: 5_000,
};

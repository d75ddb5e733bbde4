// The API server's validation of StatefulSets and DaemonSets (pkg/apis/apps/validation) for the
// mistakes a hand-written manifest or patch makes: no selector, a selector that does not match
// the template's labels, and StatefulSet spec fields that may not change.
import {parseLabelSelector, selectorToString} from './selectors.js';
import {ApiError, type KubeObject} from './types.js';

interface Cause {
	field: string;
	reason: string;
	message: string;
}

function invalid(kind: string, name: string, causes: Cause[]): ApiError {
	const text = causes.map(c => `${c.field}: ${c.message}`).join(', ');
	const message = `${kind}.apps "${name}" is invalid: ${causes.length > 1 ? `[${text}]` : text}`;
	return new ApiError(422, 'Invalid', message, {name, group: 'apps', kind, causes} as any);
}

/** StatefulSet spec fields an update may change (ValidateStatefulSetUpdate). */
const MUTABLE_STS_FIELDS = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

const goMap = (labels: Record<string, string> | undefined) =>
	`map[string]string{${Object.keys(labels ?? {}).sort().map(k => `"${k}":"${labels![k]}"`).join(', ')}}`;

export function validateWorkload(resource: string, obj: KubeObject, current?: KubeObject): void {
	if (resource !== 'statefulsets' && resource !== 'daemonsets') return;
	const kind = resource === 'statefulsets' ? 'StatefulSet' : 'DaemonSet';
	const causes: Cause[] = [];
	const selector = obj.spec?.selector;
	const labels = obj.spec?.template?.metadata?.labels;
	if (!selector || selectorToString(selector) === '') {
		causes.push({field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value'});
	} else if (!parseLabelSelector(selectorToString(selector))!({metadata: {name: '', labels: labels ?? {}}})) {
		causes.push({
			field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid',
			message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
		});
	}
	if (!(obj.spec?.template?.spec?.containers ?? []).length) {
		causes.push({field: 'spec.template.spec.containers', reason: 'FieldValueRequired', message: 'Required value'});
	}
	if (current && kind === 'StatefulSet') {
		const changed = Object.keys({...current.spec, ...obj.spec}).filter(
			key => !MUTABLE_STS_FIELDS.has(key) && JSON.stringify(current.spec?.[key]) !== JSON.stringify(obj.spec?.[key]),
		);
		if (changed.length > 0) {
			causes.push({
				field: 'spec', reason: 'FieldValueForbidden',
				message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
			});
		}
	}
	if (current && kind === 'DaemonSet' && JSON.stringify(current.spec?.selector) !== JSON.stringify(obj.spec?.selector)) {
		causes.push({field: 'spec.selector', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(obj.spec?.selector)}: field is immutable`});
	}
	if (causes.length > 0) throw invalid(kind, obj.metadata.name, causes);
}

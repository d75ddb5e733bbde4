// The namespace a step works on, from its commands.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {commandNamespaces, stepNamespace} from '../helpers/step-namespace.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

describe('stepNamespace', () => {
	it('reads every spelling of the flag', () => {
		expect(commandNamespaces(['kubectl get pods -n a', 'kubectl get pods --namespace=b', 'kubectl get pods --namespace c', 'kubectl get pods -nd', 'kubectl get pods -n=e'])).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(stepNamespace(['helm upgrade overlord ./chart -n prod --wait'])).toBe('prod');
	});

	it('takes the most frequent, a tie going to the last', () => {
		expect(stepNamespace(['kubectl get pods -n a', 'kubectl get pods -n b', 'kubectl logs x -n b'])).toBe('b');
		expect(stepNamespace(['kubectl get pods -n a', 'kubectl get pods -n b'])).toBe('b');
		expect(stepNamespace(['kubectl get pods -n a', 'kubectl get pods -n a', 'kubectl get pods -n b'])).toBe('a');
		expect(stepNamespace(['kubectl get pods', 'echo -n hello'])).toBeNull();
		expect(stepNamespace([])).toBeNull();
	});

	it('counts only flags that belong to kubectl', () => {
		expect(stepNamespace(['watch -n 2 "kubectl get pods -n overlord-production"'])).toBe('overlord-production');
		expect(stepNamespace(['watch -n 10 kubectl top pods'])).toBeNull();
		expect(stepNamespace(['kubectl exec -it deploy/overlord -n prod -- psql -n other'])).toBe('prod');
		expect(stepNamespace(['kubectl logs -l app=x -n prod --tail=100 | grep -n error'])).toBe('prod');
		expect(stepNamespace(["SERVICE_IP=$(kubectl get svc overlord -n prod -o jsonpath='{.status}')"])).toBe('prod');
		expect(stepNamespace(['echo "ip: $(kubectl get svc -n prod)"'])).toBe('prod');
		expect(stepNamespace(['sudo KUBECONFIG=/x kubectl get pods -n prod 2>&1 > /tmp/out'])).toBe('prod');
		expect(stepNamespace(['bash -c "kubectl get pods -n prod"'])).toBe('prod');
		expect(stepNamespace(['kubectl get pods \\\n  -n prod'])).toBe('prod');
		expect(stepNamespace(['kubectl get pods -n $NAMESPACE', 'kubectl get pods -n "${NS}"'])).toBeNull();
		expect(stepNamespace(['# kubectl get pods -n commented', 'kubectl get pods -n real'])).toBe('real');
	});

	it('finds the guide’s namespaces', () => {
		const guide = readFileSync(SHIPPED_GUIDE, 'utf8');
		const blocks: string[] = [];
		let open: string[] | null = null;
		for (const line of guide.split('\n')) {
			if (line.startsWith('```')) {
				if (open) blocks.push(open.join('\n'));
				open = open ? null : [];
			} else open?.push(line);
		}
		const found = new Set(commandNamespaces(blocks));
		expect(found).toEqual(new Set(['overlord-staging', 'overlord-production']));
		const rollback = blocks.find(b => b.includes('rollout undo'))!;
		expect(stepNamespace([rollback])).toBe('overlord-production');
	});
});

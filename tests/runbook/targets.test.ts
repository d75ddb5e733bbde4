// What each runbook acts on, per step and in all, read from its commands, its text and its front matter.
import {describe, expect, it} from 'vitest';
import {stepNamespace} from '../helpers/step-namespace.js';
import {
  parseRunbook, readRunbookFile, resolveName, targetsInForce, targetsOfStep, walkSteps,
  type Name, type Runbook, type TargetsInForce, type Workload,
} from '../../source/runbook/index.js';
import {targetsOfCommand} from '../../source/runbook/command-targets.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

const fixture = (name: string) => readRunbookFile(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const n = (name: Name | null | undefined) => name?.text ?? null;
const w = (workload: Workload | null | undefined) => (workload ? `${workload.kind}/${workload.name.text}${workload.namespace ? `@${workload.namespace.text}` : ''}` : null);

/** Each step's own targets, by title, in a form that reads in a test. */
function perStep(rb: Runbook) {
  return Object.fromEntries(
    walkSteps(rb).map(step => {
      const t = targetsOfStep(rb.targets, step.id);
      return [
        step.title,
        {
          namespaces: t.namespaces.map(n),
          namespace: n(t.namespace),
          workloads: t.workloads.map(w),
          workload: w(t.workload),
          images: t.images.map(i => `${w(i.workload)} ${i.container}=${i.image.text}`),
          contexts: t.contexts.map(n),
          releases: t.releases.map(r => `${r.action} ${r.release.text}@${n(r.namespace)}`),
          workflows: t.workflows,
          workflow: t.workflow,
          repositories: t.repositories,
          environments: t.environments,
          watchesRun: t.watchesRun,
          rollbacks: t.rollbacks.map(r => r.command),
        },
      ];
    }),
  );
}

const none = {namespaces: [], namespace: null, workloads: [], workload: null, images: [], contexts: [], releases: [], workflows: [], workflow: null, repositories: [], environments: [], watchesRun: false, rollbacks: []};

/** The targets in force at every step when walked in reading order. */
function inForce(rb: Runbook): Array<[string, string | null, string | null, string]> {
  const steps = walkSteps(rb);
  return steps.map((step, i) => {
    const t: TargetsInForce = targetsInForce(rb.targets, step.id, steps.slice(0, i).map(s => s.id));
    return [step.title, n(t.namespace?.value), w(t.workload?.value), `${t.namespace?.from ?? '-'}/${t.workload?.from ?? '-'}`];
  });
}

describe('a per-service release runbook (payments-api in payments)', () => {
  const rb = fixture('payments-api-release');
  const steps = perStep(rb);

  it('names the deployment, its namespace and the image it sets, step by step', () => {
    expect(steps['Introduction']).toEqual(none);
    expect(steps['Before you start']).toMatchObject({namespaces: ['payments'], workloads: ['deployment/payments-api@payments'], workload: 'deployment/payments-api@payments'});
    expect(steps['Release']).toMatchObject({namespace: 'payments', images: ['deployment/payments-api@payments api=ghcr.io/acme/payments-api:$VERSION']});
    expect(rb.targets.steps[walkSteps(rb)[2]!.id]!.images[0]!.image.variables).toEqual(['VERSION']);
    expect(steps['Watch the rollout']).toMatchObject({namespace: 'payments', workload: 'deployment/payments-api@payments', rollbacks: []});
    expect(steps['Verify']).toMatchObject({namespace: 'payments', workloads: ['deployment/payments-api@payments']}); // logs deploy/payments-api
    expect(steps['Roll back']).toMatchObject({workload: 'deployment/payments-api@payments', rollbacks: ['kubectl rollout undo deployment/payments-api']});
  });

  it('has payments-api in payments as its primary target, in force from the first step', () => {
    expect(n(rb.targets.primary.namespace)).toBe('payments');
    expect(w(rb.targets.primary.workload)).toBe('deployment/payments-api@payments');
    expect(rb.targets.primary.workflow).toBeNull();
    expect(inForce(rb)[0]).toEqual(['Introduction', 'payments', 'deployment/payments-api@payments', 'runbook/runbook']);
    expect(inForce(rb).slice(1).every(([, ns, wl, from]) => ns === 'payments' && wl === 'deployment/payments-api@payments' && from === 'step/step')).toBe(true);
  });
});

describe('a StatefulSet change (ledger-db in ledger)', () => {
  const rb = fixture('ledger-db-statefulset');
  const steps = perStep(rb);

  it('reads sts/, statefulset NAME and statefulset.apps/ as the same StatefulSet, flags before the verb too', () => {
    for (const title of ['Check the current state', 'Change the image', 'Watch the pods roll', 'Reverting a release'])
      expect(steps[title], title).toMatchObject({namespaces: ['ledger'], workloads: ['statefulset/ledger-db@ledger']});
    expect(steps['Change the image']!.images).toEqual(['statefulset/ledger-db@ledger postgres=postgres:16.4']);
    expect(steps['Reverting a release']!.rollbacks).toEqual(['kubectl rollout undo statefulset/ledger-db']);
    expect(w(rb.targets.primary.workload)).toBe('statefulset/ledger-db@ledger');
  });
});

describe('an alert runbook in the prometheus-operator style (KubePodCrashLooping)', () => {
  const rb = fixture('kube-pod-crash-looping');
  const steps = perStep(rb);

  it('keeps $NAMESPACE and $DEPLOYMENT as variables to resolve from the session’s answers', () => {
    expect(steps['Meaning']).toEqual(none);
    expect(steps['Diagnosis']).toMatchObject({namespaces: ['$NAMESPACE'], workloads: ['deployment/$DEPLOYMENT@$NAMESPACE']});
    expect(steps['Mitigation']).toMatchObject({namespace: '$NAMESPACE', workload: 'deployment/$DEPLOYMENT@$NAMESPACE', rollbacks: ['kubectl rollout undo deployment/$DEPLOYMENT']});
    const ns = rb.targets.primary.namespace!;
    expect(ns).toEqual({text: '$NAMESPACE', variables: ['NAMESPACE']});
    expect(resolveName(ns, {})).toBeNull();
    expect(resolveName(ns, {NAMESPACE: 'shop'})).toBe('shop');
    expect(resolveName(rb.targets.primary.workload!.name, {DEPLOYMENT: 'cart'})).toBe('cart');
  });

  it('asks for NAMESPACE, POD and CONTAINER, and sees POD read through ${POD%-*-*}', () => {
    const byName = new Map(rb.variables.map(v => [v.name, v]));
    for (const name of ['NAMESPACE', 'POD', 'CONTAINER']) expect(byName.get(name)?.kind, name).toBe('input');
    expect(byName.get('POD')!.steps).toEqual(['kubepodcrashlooping/diagnosis']);
    expect(byName.get('DEPLOYMENT')!.kind).toBe('computed');
  });
});

describe('a rollback-only runbook (helm rollback of checkout-web)', () => {
  const rb = fixture('checkout-web-rollback');
  const steps = perStep(rb);

  it('names the Helm release and the Deployment it checks', () => {
    expect(steps['Find the last good revision']).toMatchObject({namespace: 'web', releases: ['history checkout-web@web'], workloads: []});
    expect(steps['Undo the release']).toMatchObject({namespace: 'web', releases: ['rollback checkout-web@web'], rollbacks: ['helm rollback checkout-web']});
    expect(steps['Confirm']).toMatchObject({workload: 'deployment/checkout-web@web'});
    expect(w(rb.targets.primary.workload)).toBe('deployment/checkout-web@web');
    // No workload of its own yet: the runbook's one is in view, in the step's namespace.
    expect(inForce(rb)[2]).toEqual(['Undo the release', 'web', 'deployment/checkout-web@web', 'step/runbook']);
  });
});

describe('front matter targets (search)', () => {
  const rb = fixture('search-front-matter');

  it('reads kubernetes, github and rollback keys', () => {
    const d = rb.targets.declared;
    expect([n(d.context), n(d.namespace), d.workloads.map(w), d.repository, d.workflow, d.environment, d.rollback]).toEqual([
      'prod-eu-1', 'search', ['deployment/search-api@search', 'statefulset/search-index@search'], 'acme/search', 'deploy-search.yml', 'production', ['Emergency recovery'],
    ]);
    expect(rb.warnings).toEqual([]);
  });

  it('lets front matter fill what the commands leave out', () => {
    expect(perStep(rb)['Check the pods']).toMatchObject({namespaces: [], workloads: ['deployment/search-api']});
    expect(inForce(rb)).toEqual([
      ['Introduction', 'search', 'deployment/search-api@search', 'front-matter/front-matter'],
      ['Start the deploy', 'search', 'deployment/search-api@search', 'front-matter/front-matter'],
      ['Check the pods', 'search', 'deployment/search-api@search', 'front-matter/step'],
      ['Roll back the index only', 'search', 'statefulset/search-index@search', 'front-matter/step'],
      ['Emergency recovery', 'search', 'deployment/search-api@search', 'front-matter/step'],
    ]);
    const steps = walkSteps(rb);
    const start = targetsInForce(rb.targets, steps[1]!.id, [steps[0]!.id]);
    expect([start.workflow, start.repository, start.environment, n(start.context?.value)]).toEqual([
      {value: 'deploy-search.yml', from: 'step', stepId: steps[1]!.id}, {value: 'acme/search', from: 'front-matter'}, {value: 'production', from: 'front-matter'}, 'prod-eu-1',
    ]);
    expect(perStep(rb)['Start the deploy']).toMatchObject({watchesRun: true, workflows: ['deploy-search.yml']});
  });

  it('warns about a key of the wrong shape and ignores it, keeping the rest', () => {
    const bad = parseRunbook('---\nkubernetes:\n  namespace: Not_A_Namespace\n  workload: [deployment/ok, cronjob/nope]\ngithub: acme/x\nrollback: Nowhere\n---\n# T\n\n## Roll back\n\n```bash\nkubectl rollout undo deploy/ok\n```\n');
    expect(bad.warnings).toEqual([
      'front matter kubernetes.namespace: "Not_A_Namespace" is not a namespace name; ignored',
      'front matter kubernetes.workload: "cronjob/nope" is not deployment/NAME, statefulset/NAME or daemonset/NAME; ignored',
      'front matter github: "acme/x" is not a map of repository, workflow and environment; ignored',
      'front matter rollback: no heading "Nowhere"; the rollback path is inferred from the headings and commands instead',
    ]);
    expect(bad.targets.declared.workloads.map(w)).toEqual(['deployment/ok']);
    expect(bad.rollback?.reason).toBe('heading');
  });

  it('still reads the older top-level repository key', () => {
    expect(parseRunbook('---\nrepository: https://github.com/acme/old.git\n---\n# T\n\ntext\n').targets.primary.repository).toBe('acme/old');
  });
});

describe('a runbook that touches two services (orders and billing)', () => {
  const rb = fixture('shop-two-services');
  const steps = perStep(rb);

  it('keeps each workload with its own namespace, whatever the flag’s spelling', () => {
    expect(steps['Check both services']).toMatchObject({
      namespaces: ['orders', 'billing'], namespace: 'billing', workloads: ['deployment/orders-api@orders', 'deployment/billing-worker@billing'], workload: 'deployment/billing-worker@billing',
      environments: ['production'], repositories: [],
    });
    expect(steps['Release orders-api']).toMatchObject({namespace: 'orders', workloads: ['deployment/orders-api@orders'], images: ['deployment/orders-api@orders api=ghcr.io/acme/orders-api:v7.3.0']});
    expect(steps['Release billing-worker']).toMatchObject({namespace: 'billing', workloads: ['deployment/billing-worker@billing']});
    expect(steps['Tag the release']).toMatchObject({workflows: ['release.yml'], workflow: 'release.yml', repositories: ['acme/shop'], namespaces: []});
    expect(steps['Roll back both']!.rollbacks).toEqual(['kubectl rollout undo deployment/billing-worker', 'kubectl rollout undo deployment/orders-api']);
    expect(steps['Introduction']).toMatchObject({workflows: ['release.yml']}); // the link to .github/workflows/release.yml
  });

  it('has the first-named service as primary; a step without targets keeps the last step’s', () => {
    expect([n(rb.targets.primary.namespace), w(rb.targets.primary.workload), rb.targets.primary.repository, rb.targets.primary.workflow]).toEqual([
      'orders', 'deployment/orders-api@orders', 'acme/shop', 'release.yml',
    ]);
    expect(rb.targets.all.workloads.map(w)).toEqual(['deployment/orders-api@orders', 'deployment/billing-worker@billing']);
    expect(inForce(rb)[4]).toEqual(['Tag the release', 'billing', 'deployment/billing-worker@billing', 'earlier-step/earlier-step']);
  });

  it('follows the session’s own order of steps when given, not the reading order', () => {
    const ids = walkSteps(rb).map(s => s.id);
    const t = targetsInForce(rb.targets, ids[4]!, [ids[0]!, ids[3]!, ids[2]!]);
    expect([n(t.namespace?.value), w(t.workload?.value), t.workload?.stepId]).toEqual(['orders', 'deployment/orders-api@orders', ids[2]]);
  });
});

describe('a DaemonSet released with Helm on a named context (node-agent)', () => {
  const rb = fixture('node-agent-upgrade');
  const steps = perStep(rb);

  it('reads use-context, --context, --kube-context, ds NAME, daemonset.apps/ and environment: in YAML', () => {
    expect(steps['Switch to the cluster']).toMatchObject({contexts: ['prod-us-east'], namespaces: ['monitoring'], workloads: ['daemonset/node-agent@monitoring']});
    expect(steps['Upgrade the chart']).toMatchObject({contexts: ['prod-us-east'], releases: ['upgrade node-agent@monitoring'], environments: ['production']});
    expect(steps['Watch it roll across the nodes']).toMatchObject({contexts: ['prod-us-east'], workload: 'daemonset/node-agent@monitoring'});
    expect(steps['Backout plan']).toMatchObject({rollbacks: ['helm rollback node-agent'], releases: ['rollback node-agent@monitoring']});
    expect([n(rb.targets.primary.context), rb.targets.primary.environment]).toEqual(['prod-us-east', 'production']);
  });
});

describe('the production deployment guide', () => {
  const rb = readRunbookFile(SHIPPED_GUIDE);
  const steps = perStep(rb);

  it('targets overlord in overlord-production, follows ci-cd-full-cycle.yml, rolls back with rollback.yml', () => {
    expect([n(rb.targets.primary.namespace), w(rb.targets.primary.workload), rb.targets.primary.workflow, rb.targets.primary.environment]).toEqual([
      'overlord-production', 'deployment/overlord@overlord-production', 'ci-cd-full-cycle.yml', 'production',
    ]);
    expect(rb.targets.all.namespaces.map(n)).toEqual(['overlord-staging', 'overlord-production']);
    expect(rb.targets.all.workflows).toEqual(['ci-cd-full-cycle.yml', 'rollback.yml']);
    expect(steps['2. Staging Verification']).toMatchObject({namespace: 'overlord-staging', workloads: []});
    expect(steps['Step 5: Monitor Workflow Execution']).toMatchObject({watchesRun: true, workflow: null});
    expect(steps['Step 8: Approve Production Deployment']).toMatchObject({workflows: ['ci-cd-full-cycle.yml']});
    expect(steps['Step 9: Monitor Deployment']).toMatchObject({namespace: 'overlord-production', workload: 'deployment/overlord@overlord-production'});
    expect(steps['Option 1: Via GitHub Actions']).toMatchObject({workflow: 'rollback.yml', environments: ['production'], rollbacks: ['gh workflow run rollback.yml']});
    expect(steps['Option 2: Via Kubernetes (Emergency)']!.rollbacks).toEqual(['kubectl rollout undo deployment/overlord', 'kubectl rollout undo deployment/overlord']);
    expect(steps['References']).toMatchObject({workflows: ['ci-cd-full-cycle.yml']});
    expect(rb.targets.all.repositories).toEqual([]); // the repository still comes from the environment or git remote
  });

  it('agrees on every step with stepNamespace, how the panes once read the namespace of a step', () => {
    for (const step of walkSteps(rb)) {
      const commands = step.blocks.filter(b => b.kind === 'command').flatMap(b => b.commands);
      expect(n(targetsOfStep(rb.targets, step.id).namespace), step.title).toBe(stepNamespace(commands));
    }
  });
});

describe('one command', () => {
  const of = (text: string) => targetsOfCommand(text);

  it('reads a workload wherever kubectl names one, and not where it names a pod', () => {
    const cases: Array<[string, string[]]> = [
      ['kubectl rollout restart deploy x y', ['deployment/x', 'deployment/y']],
      ['kubectl rollout pause deployments/x', ['deployment/x']],
      ['kubectl scale --replicas=3 deployment.apps/x', ['deployment/x']],
      ['kubectl patch deployment x -p \'{"spec":{}}\'', ['deployment/x']],
      ['kubectl edit ds/agent', ['daemonset/agent']],
      ['kubectl delete statefulset db --wait', ['statefulset/db']],
      ['kubectl logs -f deploy/x', ['deployment/x']],
      ['kubectl logs -p x-7d9c6b5f4-abcde', []],
      ['kubectl exec -it deploy/x -c app -- kubectl get deploy/not-this', ['deployment/x']],
      ['kubectl set image deployment x app=ghcr.io/a/x:1', ['deployment/x']],
      ['kubectl get deploy,sts -n a', []],
      ['kubectl get pods -l app=x', []],
      ['kubectl get deploy/$APP', ['deployment/$APP']],
      ['kubectl get deploy/$(cat name)', []],
    ];
    for (const [command, expected] of cases) expect(of(command).workloads.map(w), command).toEqual(expected);
  });

  it('reads namespaces only from kube tools, literal or from a variable', () => {
    expect(of('watch -n 2 "kubectl get pods -n a" | grep -n b').namespaces.map(n)).toEqual(['a']);
    expect(of('kubectl get pods -n "${NS}"; helm status x --namespace=<namespace>').namespaces).toEqual([{text: '$NS', variables: ['NS']}, {text: '<namespace>', variables: ['NAMESPACE']}]);
    expect(of('kubectl get pods -A').namespaces).toEqual([]);
    expect(resolveName({text: '<namespace>', variables: ['NAMESPACE']}, {NAMESPACE: 'x'})).toBe('x');
    expect(resolveName({text: '${ENV:-prod}-api', variables: ['ENV']}, {})).toBe('prod-api');
  });

  it('reads gh repositories, workflows and environments', () => {
    const t = of('gh run list -w deploy.yml -R github.com/acme/app && gh workflow run Deploy --repo acme/app -F environment=staging && gh secret set X --env qa && gh run watch');
    expect([t.repositories, t.workflows, t.dispatched, t.environments, t.watchesRun]).toEqual([['acme/app', 'acme/app'], ['deploy.yml', 'Deploy'], ['Deploy'], ['staging', 'qa'], true]);
  });
});

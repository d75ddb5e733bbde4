import {describe, expect, it} from 'vitest';
import {canInstrument, planCommands, stepProse} from '../../source/runbook/command-plan.js';
import {isInteractive} from '../../source/runbook/danger.js';
import {parseRunbook} from '../../source/runbook/index.js';
import {walkSteps} from '../../source/runbook/walk.js';

const roleOf = (command: string, stepText = '') => planCommands(command, stepText)[0]!.role;

describe('planCommands', () => {
  it('gives each logical command its lines, a compound command spanning lines being one', () => {
    const script = [
      '# check first',
      'kubectl get pods \\',
      '  -n prod',
      '',
      'if kubectl get deploy api; then',
      '  echo "fi done esac"   # not the end',
      'fi',
      'for i in 1 2; do echo $i; done',
      'case "$ENV" in',
      '  prod) echo careful;;',
      '  *) echo ok ;;',
      'esac',
      '{ echo a',
      '  echo b; } > out.txt',
      '(',
      '  cd /tmp && ls',
      ')',
      'while read -r line; do',
      '  echo "$line"',
      'done <<EOF',
      'a',
      'EOF',
      'echo end',
    ].join('\n');
    expect(planCommands(script).map(c => [c.line, c.endLine, c.text.split('\n')[0]])).toEqual([
      [2, 3, 'kubectl get pods \\'],
      [5, 7, 'if kubectl get deploy api; then'],
      [8, 8, 'for i in 1 2; do echo $i; done'],
      [9, 12, 'case "$ENV" in'],
      [13, 14, '{ echo a'],
      [15, 17, '('],
      [18, 22, 'while read -r line; do'],
      [23, 23, 'echo end'],
    ]);
    expect(planCommands(script).map(c => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts reserved words only where a command starts', () => {
    expect(planCommands('echo if\necho done\nls')).toHaveLength(3);
    expect(planCommands('f() {\n  echo hi\n}\nfunction g {\n  ls\n}\nf')).toHaveLength(3);
    expect(planCommands('x=(\n  a\n  b\n)\necho "${x[@]}"')).toHaveLength(2);
  });

  it('calls a grep, rg, ag or ack that ends a command a search, unless it is in a condition', () => {
    expect(roleOf('kubectl logs -l app=x --tail=100 | grep -i error')).toBe('search');
    expect(roleOf("kubectl logs -l app=x | grep -E '(ERROR|CRITICAL|FATAL)'")).toBe('search');
    expect(roleOf('grep -rn TODO src')).toBe('search');
    expect(roleOf('rg -e Ready -A3 pods.txt')).toBe('search');
    expect(roleOf('kubectl get events | egrep "Back-off|Failed"')).toBe('search');
    expect(roleOf('make build && kubectl logs x | grep warn')).toBe('search');
    for (const command of ['grep -q x f && echo yes', '! grep x f', 'grep x f || echo none', 'if grep -q x f; then echo y; fi', 'kubectl logs x | grep err &', 'grep x f | wc -l']) {
      expect(roleOf(command), command).toBe('plain');
    }
  });

  it('calls a quiet search, or one whose pattern the step says must be there, an assert; never a search for trouble', () => {
    expect(roleOf('kubectl get pods | grep -q Running')).toBe('assert');
    expect(roleOf('curl -s localhost/health | grep --quiet ok')).toBe('assert');
    expect(roleOf('kubectl get pods | grep -iq running')).toBe('assert');
    expect(roleOf('journalctl -u api | grep -q panic')).toBe('search');
    const text = 'All pods should show Running. Then verify the health endpoint returns "status":"ok".';
    expect(roleOf('kubectl get pods -n prod | grep Running', text)).toBe('assert');
    expect(roleOf('curl -s https://api/health | grep \'"status":"ok"\'', text)).toBe('assert');
    expect(roleOf('kubectl get pods -n prod | grep Running', 'Lists the pods, Running or not.')).toBe('search');
    expect(roleOf('kubectl logs x | grep -i error', 'You should see no error here.')).toBe('search');
    expect(roleOf("kubectl get pods | grep 'Run.*ing'", 'They must be Run.*ing.')).toBe('search');
  });

  it('calls what follows output until stopped a follower, and not when it runs in the background', () => {
    for (const command of [
      'kubectl logs -f -l app=x --all-containers=true',
      'kubectl get events -n prod --sort-by=.lastTimestamp --watch',
      'kubectl get pods -w',
      'watch -n 2 "kubectl get pods -n prod"',
      'gh run watch',
      'tail -F /var/log/app.log | grep --line-buffered api',
      'journalctl -u api -f',
      'kubectl port-forward svc/api 8080:80',
    ]) {
      expect(roleOf(command), command).toBe('follower');
      expect(isInteractive(command), command).toBe(true);
    }
    expect(roleOf('kubectl port-forward svc/api 8080:80 &')).toBe('plain');
    expect(isInteractive('kubectl port-forward svc/api 8080:80 &\nsleep 2')).toBe(false);
    expect(roleOf('kubectl logs --tail=10 x')).toBe('plain');
  });

  it('instruments only what one pipeline is', () => {
    const can = (command: string) => canInstrument(planCommands(command)[0]!);
    expect(can('kubectl logs x | grep -i error')).toBe(true);
    expect(can('kubectl logs -f x')).toBe(true);
    expect(can('make && kubectl logs x | grep -i error')).toBe(false);
    expect(can('kubectl get pods | grep -q Running')).toBe(false);
    expect(can('grep -f - f <<EOF\nerror\nEOF')).toBe(false);
    expect(can('make')).toBe(false);
  });
});

describe('stepProse', () => {
  it('is the step\'s sentences and list items, without its code', () => {
    const runbook = parseRunbook('# R\n\n## Check\n\nThe pods must show `Running`.\n\n- [ ] Verify **all** pods\n\n```bash\nkubectl get pods | grep Running\n```\n');
    const step = walkSteps(runbook)[0]!;
    expect(stepProse(step)).toBe('The pods must show Running.\nVerify all pods');
    expect(planCommands('kubectl get pods | grep Running', stepProse(step))[0]!.role).toBe('assert');
  });
});

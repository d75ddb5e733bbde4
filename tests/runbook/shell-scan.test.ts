import {describe, expect, it} from 'vitest';
import {confirmationFor, dangersOf, isInteractive} from '../../source/runbook/danger.js';
import {buildBlock} from '../../source/runbook/blocks.js';
import {scanShell} from '../../source/runbook/shell-scan.js';

describe('scanShell', () => {
  it('joins continuations, pipes at line end and open quotes', () => {
    const cmds = scanShell('kubectl get pods \\\n  -n x\nfoo &&\n  bar\necho "a\nb"\n').map(c => c.text);
    expect(cmds).toEqual(['kubectl get pods \\\n  -n x', 'foo &&\n  bar', 'echo "a\nb"']);
  });

  it('drops comments but keeps # inside quotes', () => {
    const cmds = scanShell('# intro\necho "#1" # trailing\ncurl -H "X: #"\n').map(c => c.text);
    expect(cmds).toEqual(['echo "#1"', 'curl -H "X: #"']);
  });

  it('keeps heredoc bodies with their command, quoted delimiters unexpanded', () => {
    const [cmd, next] = scanShell("cat <<'EOF' > f\n$NOPE\nEOF\necho $YES\n");
    expect(cmd!.text).toBe("cat <<'EOF' > f\n$NOPE\nEOF");
    expect(cmd!.reads).toEqual([]);
    expect(next!.reads.map(r => r.name)).toEqual(['YES']);
  });

  it('finds assignments and reads', () => {
    const [a] = scanShell('RUN_ID=$(gh run list --json databaseId --jq \'.[0].databaseId\')');
    expect(a!.assigns).toEqual([{name: 'RUN_ID', value: "$(gh run list --json databaseId --jq '.[0].databaseId')", exported: false}]);
    const [b] = scanShell('export A=1 B="two words"');
    expect(b!.assigns.map(x => [x.name, x.value, x.exported])).toEqual([['A', '1', true], ['B', '"two words"', true]]);
  });
});

describe('compound commands', () => {
  it('are one logical command with their first and last line, and what they set before reading is not asked for', () => {
    const script = 'for pod in a b; do\n  kubectl delete pod "$pod" -n "$NS"\ndone\nif [ -n "$X" ]; then\n  export Y=1\nfi\necho "$Y"';
    const scanned = scanShell(script);
    expect(scanned.map(c => [c.line, c.endLine])).toEqual([[1, 3], [4, 6], [7, 7]]);
    expect(scanned[1]!.assigns.map(a => a.name)).toEqual(['Y']);
    const {block} = buildBlock('b1', 'bash', null, script, 1, '');
    expect(block.commands).toHaveLength(3);
    expect(block.uses).toEqual(['NS', 'X']);
    expect(block.dangers).toEqual(['deletes pod']);
  });
});

describe('danger and interactivity', () => {
  it.each([
    ['git push origin v1.1.0:main --force', 'force-pushes to main'],
    ['kubectl delete pod x -n prod', 'deletes pod'],
    ['kubectl scale deploy/api --replicas=0 -n prod', 'scales deploy/api to zero'],
    ['psql -c "DROP TABLE trades"', 'DROP TABLE'],
    ['rm -rf /var/lib/app', 'removes files recursively (rm -rf)'],
  ])('%s is dangerous', (command, why) => {
    expect(dangersOf(command)).toEqual([why]);
  });

  it.each(['kubectl get pods -n prod', 'git push origin release/v1.2.0', 'kubectl rollout status deploy/x', 'echo delete'])('%s is safe', command => {
    expect(dangersOf(command)).toEqual([]);
  });

  it('asks for the context when there is no namespace', () => {
    expect(confirmationFor(['kubectl --context prod-eu delete pod x'])).toEqual({kind: 'context', value: 'prod-eu'});
    expect(confirmationFor(['rm -rf build'])).toEqual({kind: 'word', value: 'yes'});
  });

  it.each([
    ['watch -n 2 "kubectl get pods"', true],
    ['kubectl logs -f -l app=x', true],
    ['kubectl get events --watch', true],
    ['kubectl exec -it deploy/x -- sh', true],
    ['gh run watch', true],
    ['git commit -m "x"', false],
    ['git commit', true],
    ['kubectl logs -l app=x --tail=100', false],
    ['python -c "print(1)"', false],
  ])('%s interactive: %s', (command, expected) => {
    expect(isInteractive(command)).toBe(expected);
  });
});

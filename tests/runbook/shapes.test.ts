import {describe, expect, it} from 'vitest';
import {countChecklist, parseRunbook, repairMacRomanMojibake, walkSteps} from '../../source/runbook/index.js';

const alertRunbook = `---
title: HighErrorRate alert
owner: payments-sre
---

# Payments API: HighErrorRate

Fires when the 5xx ratio is over 5% for 5 minutes.

## Diagnose

1. Check the pods:

   \`\`\`console
   $ kubectl get pods -n payments -l app=api
   NAME                   READY   STATUS    RESTARTS   AGE
   api-7d9c6b5f4-abcde    1/1     Running   0          3h
   $ kubectl logs deploy/api -n payments \\
   >   --since=10m
   \`\`\`

2. Look at recent deploys:

   ~~~shell-session
   user@bastion:~$ helm history api -n payments
   REVISION  STATUS
   ~~~

- [x] Paged the on-call
- [ ] Opened an incident channel

## Mitigate

\`\`\`bash {name=rollback interactive=false}
helm rollback api 0 -n payments
\`\`\`

\`\`\`text
Rollback was a success! Happy Helming!
\`\`\`

Expected output:

\`\`\`
Rollback was a success!
\`\`\`

## Mitigate

A second section with the same title keeps a distinct id.
`;

describe('other shapes of runbook', () => {
  const rb = parseRunbook(alertRunbook, {path: 'alert.md'});
  const steps = walkSteps(rb);

  it('takes the title from front matter', () => {
    expect(rb.title).toBe('HighErrorRate alert');
    expect(rb.frontMatter).toMatchObject({owner: 'payments-sre'});
  });

  it('keeps the intro under the single top heading as a step', () => {
    expect(steps[0]!.title).toBe('Introduction');
    expect(steps.map(s => s.title)).toEqual(['Introduction', 'Diagnose', 'Mitigate', 'Mitigate']);
  });

  it('reads console blocks nested in list items: only $ lines are commands, prompts stripped', () => {
    const [consoleBlock, session] = steps[1]!.blocks;
    expect(consoleBlock!.kind).toBe('command');
    expect(consoleBlock!.commands).toEqual(['kubectl get pods -n payments -l app=api', 'kubectl logs deploy/api -n payments \\\n  --since=10m']);
    expect(session!.lang).toBe('shell-session');
    expect(session!.commands).toEqual(['helm history api -n payments']);
  });

  it('reads task items and their checked state', () => {
    expect(steps[1]!.checklist.map(c => [c.text, c.checked, c.kind])).toEqual([
      ['Paged the on-call', true, 'task'],
      ['Opened an incident channel', false, 'task'],
    ]);
  });

  it('reads fence attributes, dangerous helm rollbacks, expected output', () => {
    const [rollback, text, untagged] = steps[2]!.blocks;
    expect(rollback!.attributes).toEqual({name: 'rollback', interactive: 'false'});
    expect(rollback!.dangerous).toBe(true);
    expect(rollback!.confirm).toEqual({kind: 'namespace', value: 'payments'});
    expect(text!.kind).toBe('template');
    expect(untagged!.kind).toBe('output');
  });

  it('gives repeated headings distinct ids', () => {
    expect(steps[2]!.id).not.toBe(steps[3]!.id);
    expect(steps[3]!.id).toMatch(/~2$/);
  });

  it('reads a file without headings as one step, with a warning', () => {
    const flat = parseRunbook('Just run this:\n\n```sh\nuptime\n```\n', {path: '/tmp/quick-check.md'});
    expect(flat.warnings.join()).toMatch(/no headings/);
    expect(walkSteps(flat)).toHaveLength(1);
    expect(flat.title).toBe('quick-check');
    expect(walkSteps(flat)[0]!.blocks[0]!.commands).toEqual(['uptime']);
  });

  it('warns about an unterminated fence and keeps what came before it', () => {
    const rb2 = parseRunbook('# T\n\n## A\n\n- [ ] first\n\n## B\n\n```bash\necho hi\n\n## C\n');
    expect(rb2.warnings.join()).toMatch(/unterminated code fence at line 9/);
    expect(countChecklist(rb2).task).toBe(1);
    expect(walkSteps(rb2).map(s => s.title)).toEqual(['A', 'B']);
  });

  it('keeps several top-level headings as sections', () => {
    const rb3 = parseRunbook('# One\n\ntext\n\n# Two\n\n## Two.a\n\nmore\n');
    expect(rb3.title).toBe('One');
    expect(rb3.sections.map(s => s.title)).toEqual(['One', 'Two']);
    expect(walkSteps(rb3).map(s => s.title)).toEqual(['One', 'Two.a']);
  });

  it('does not take checklist-looking lines inside code as items', () => {
    const rb4 = parseRunbook('# X\n\n## Y\n\n```\n- [ ] not an item\n```\n\n~~~md\n- [x] nor this\n~~~\n');
    expect(countChecklist(rb4)).toEqual({task: 0, criterion: 0});
  });

  it('treats ordered ✅ lists as status, not criteria', () => {
    const rb5 = parseRunbook('# X\n\n## Y\n\n1. ✅ Quality Gates\n2. ✅ Unit Tests\n\n- ✅ Deployed\n');
    expect(countChecklist(rb5)).toEqual({task: 0, criterion: 1});
  });

  it('finds operator variables and ignores ambient and defaulted ones', () => {
    const rb6 = parseRunbook('# X\n\n## Y\n\n```bash\necho "$HOME ${REGION:-eu} $CLUSTER_NAME"\necho \'$NOT_EXPANDED\'\nexport API_TOKEN=<your-token>\n```\n');
    const names = rb6.variables.map(v => [v.name, v.kind, v.secret]);
    expect(names).toEqual([
      ['CLUSTER_NAME', 'input', false],
      ['API_TOKEN', 'placeholder', true],
    ]);
  });
});

describe('mojibake repair', () => {
  it('leaves correct text and lone accented letters alone', () => {
    for (const text of ['Café crème — déjà vu', 'Ünïcödé façade', 'naïve ✅ 🔴 ≥']) expect(repairMacRomanMojibake(text)).toEqual({text, repaired: 0});
  });

  it('restores 3- and 4-byte characters, including emoji whose lead byte was dropped', () => {
    expect(repairMacRomanMojibake('‚úÖ done, üî¥ down, ‚â• 85%').text).toBe('✅ done, 🔴 down, ≥ 85%');
    expect(repairMacRomanMojibake('‚è∏Ô∏è paused').text).toBe('⏸️ paused');
  });
});

describe('large runbooks', () => {
  it('parses in heading-aligned chunks with positions and ids as if in one piece', async () => {
    const {generateRunbook} = await import('../../bench/generate-runbook.js');
    const {parseInChunks} = await import('../../source/runbook/parse.js');
    const text = generateRunbook(200 * 1024) + '\n## Tail\n\n```bash\necho "# not a heading"\n## still code\n```\n';
    const rb = parseRunbook(text);
    const steps = walkSteps(rb);
    expect(new Set(steps.map(s => s.id)).size).toBe(steps.length);
    const tail = steps[steps.length - 1]!;
    expect(tail.title).toBe('Tail');
    expect(tail.blocks[0]!.code).toContain('## still code');
    const lines = text.split('\n');
    expect(lines[tail.line - 1]).toBe('## Tail');
    expect(lines[tail.blocks[0]!.line - 1]).toBe('```bash');
    expect(parseInChunks(text).children.length).toBeGreaterThan(1000);
  });
});

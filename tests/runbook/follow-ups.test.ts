// The schedule after the deploy, read from a runbook: the guide's "Post-Deployment Monitoring Schedule" and an
// invented runbook with its own words, and the step whose completion starts the clock.
import {describe, expect, it} from 'vitest';
import {findFollowUpSchedule, parseOffset} from '../../source/runbook/follow-ups.js';
import {parseRunbook, readRunbookFile} from '../../source/runbook/index.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('parseOffset', () => {
  it('reads T+<duration> in the usual spellings, and nothing else', () => {
    expect(parseOffset('T+0')).toBe(0);
    expect(parseOffset('T+15min')).toBe(15 * MIN);
    expect(parseOffset('T + 30 minutes')).toBe(30 * MIN);
    expect(parseOffset('**T+1hr**')).toBe(HOUR);
    expect(parseOffset('T+1.5h')).toBe(1.5 * HOUR);
    expect(parseOffset('T+7d')).toBe(7 * 24 * HOUR);
    expect(parseOffset('T+2w')).toBe(14 * 24 * HOUR);
    for (const no of ['T+5', 'T-24 hours', 'T+3 fortnights', '15min', 'Time', '']) expect(parseOffset(no)).toBeNull();
  });
});

describe('findFollowUpSchedule', () => {
  it('the guide: seven follow-ups T+0 to T+7d, counted from Step 9 (Monitor Deployment) done', () => {
    const schedule = findFollowUpSchedule(readRunbookFile(SHIPPED_GUIDE))!;
    expect(schedule.anchorStepId).toMatch(/step-9-monitor-deployment$/);
    expect(schedule.tableStepId).toMatch(/post-deployment-monitoring-schedule$/);
    expect(schedule.items.map(i => [i.id, i.afterMs])).toEqual([
      ['T+0', 0],
      ['T+15min', 15 * MIN],
      ['T+30min', 30 * MIN],
      ['T+1hr', HOUR],
      ['T+4hr', 4 * HOUR],
      ['T+24hr', 24 * HOUR],
      ['T+7d', 7 * 24 * HOUR],
    ]);
    expect(schedule.items[1]).toMatchObject({action: 'Check metrics baseline', who: 'DevOps Engineer'});
    expect(schedule.items[6]).toMatchObject({action: 'Post-deployment review', who: 'All stakeholders'});
  });

  const invented = `# Ship the billing service

## Prepare

### Pre-release checks

\`\`\`sh
make test
\`\`\`

## Release

### Roll out billing

\`\`\`sh
kubectl -n billing rollout status deploy/billing
\`\`\`

### Tell people

- [ ] post in #billing

## Rollback

### Roll back billing

\`\`\`sh
kubectl -n billing rollout undo deploy/billing
\`\`\`

## Aftercare

| When | Owner | What to check |
|------|-------|---------------|
| T+2h | On-call | Invoice queue drained |
| T+0 | Releaser | Dashboards green |
| T+1 day | Finance | Totals reconcile |
`;

  it('an invented runbook: its own column order, rows sorted by time, the deploy step named by its heading', () => {
    const schedule = findFollowUpSchedule(parseRunbook(invented))!;
    expect(schedule.anchorTitle).toBe('Roll out billing');
    expect(schedule.items).toEqual([
      {id: 'T+0', afterMs: 0, action: 'Dashboards green', who: 'Releaser'},
      {id: 'T+2h', afterMs: 2 * HOUR, action: 'Invoice queue drained', who: 'On-call'},
      {id: 'T+1day', afterMs: 24 * HOUR, action: 'Totals reconcile', who: 'Finance'},
    ]);
  });

  it('no table of T+ times (or one row that is not): no schedule', () => {
    expect(findFollowUpSchedule(parseRunbook(invented.replace('| T+1 day |', '| Later |')))).toBeNull();
    expect(findFollowUpSchedule(parseRunbook('# R\n\n## A\n\n```sh\necho\n```\n\n| Time | Action |\n|--|--|\n| 09:00 | x |\n'))).toBeNull();
  });

  it('without a step that names a deploy: the last step with commands before the table', () => {
    const plain = '# R\n\n## Do it\n\n```sh\necho one\n```\n\n## Then\n\n```sh\necho two\n```\n\n## Later\n\n| Time | Action |\n|--|--|\n| T+0 | look |\n';
    expect(findFollowUpSchedule(parseRunbook(plain))!.anchorTitle).toBe('Then');
  });
});

// `m` sends what the block itself says: its branches, title and body, its rollback workflow and inputs — for the
// guide exactly as before, and for any other runbook its own.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {guideActionFor, guideActionLabel} from '../../source/github/guide-actions.js';
import {readRunbookFile, walkSteps} from '../../source/runbook/index.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

const guide = readRunbookFile(SHIPPED_GUIDE);
const actionOf = (title: string) => guideActionFor(walkSteps(guide).find(s => s.title === title)!.blocks[0]!.commands);

describe('the gh step a block does', () => {
  it('is the guide’s release PR with its own title and heredoc body, and its rollback dispatch', () => {
    const pr = actionOf('Step 2: Create Pull Request to Main');
    expect(pr).toMatchObject({kind: 'create-pr', head: 'release/v1.2.0', base: 'main', title: 'Release v1.2.0', version: 'v1.2.0'});
    const body = pr?.kind === 'create-pr' ? pr.body : '';
    expect(body.startsWith('## Release v1.2.0\n\n### New Features\n')).toBe(true);
    expect(body.endsWith('2. Revert to previous version: v1.1.0\n3. Verify rollback successful\n4. Investigate root cause\n')).toBe(true);
    // The guide's text lives in the guide: the body is the heredoc as the guide writes it.
    expect(readFileSync(SHIPPED_GUIDE, 'utf8')).toContain(body.trimEnd());
    const dispatch = actionOf('Option 1: Via GitHub Actions')!;
    expect(dispatch).toEqual({kind: 'dispatch-rollback', workflow: 'rollback.yml', ref: null, inputs: {environment: 'production', target_version: 'v1.1.0'}});
    expect(guideActionLabel(dispatch)).toBe('m dispatches rollback.yml via the API → v1.1.0');
  });

  it('is another runbook’s own: its branches, title, body, workflow and inputs', () => {
    const pr = guideActionFor(['gh pr create -B trunk --head=payments/release-$VERSION -t "Payments $VERSION" --body "Ships $VERSION to payments."']);
    expect(pr).toEqual({kind: 'create-pr', head: 'payments/release-$VERSION', base: 'trunk', title: 'Payments $VERSION', body: 'Ships $VERSION to payments.', version: null});
    const untitled = guideActionFor(['gh pr create --fill']);
    expect(untitled).toMatchObject({kind: 'create-pr', head: null, base: null, title: null});
    const revert = guideActionFor(['gh workflow run revert-release.yml --ref stable -f version=v3.1.0 -f region=eu']);
    expect(revert).toEqual({kind: 'dispatch-rollback', workflow: 'revert-release.yml', ref: 'stable', inputs: {version: 'v3.1.0', region: 'eu'}});
    expect(guideActionLabel(revert!)).toBe('m dispatches revert-release.yml via the API → v3.1.0');
    expect(guideActionFor(['gh workflow run deploy.yml -f version=v3.2.0'])).toBeNull();
  });
});

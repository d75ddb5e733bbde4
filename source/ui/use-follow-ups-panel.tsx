// The follow-ups for the session screen: the status bar's line, whether F's list is open, and the list itself (its
// module deferred: deferred.tsx).

import {type Dispatch, useState} from 'react';
import type {SessionController} from '../session/controller.js';
import {FollowUpsOverlay, Pending} from './deferred.js';
import {useFollowUps} from './use-follow-ups.js';
import type {ViewAction} from './use-session-view-state.js';

export function useFollowUpsPanel(controller: SessionController, dispatch: Dispatch<ViewAction>, version: number) {
  const [open, setOpen] = useState(false);
  const view = useFollowUps(controller, dispatch, version);
  const overlay = (width: number, height: number) =>
    open ? (
      <Pending height={height}>
        <FollowUpsOverlay record={view.record} now={view.now} width={width} height={height} onTick={(id, note) => controller.tickFollowUp(id, note)} onClose={() => setOpen(false)} />
      </Pending>
    ) : null;
  return {open, show: () => setOpen(true), status: view.status, overlay};
}

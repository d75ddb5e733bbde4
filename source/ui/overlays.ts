// Everything deferred.tsx keeps out of the first frame, behind one import(): one entry point for the bundler, so the
// modules the first frame needs are not cut into more chunks (each one more file to load at start).
export {UndoFlow} from './cluster/undo-flow.js';
export {ApprovalFlow} from './pipeline/approval-flow.js';
export {RunbookPickerFlow} from './library/runbook-picker.js';
export {InspectOverlay} from './cluster/inspect-overlay.js';
export {FollowUpsOverlay} from './follow-ups-overlay.js';
export {podViewSource} from '../kube/pod-views.js';

// Before the session screen: an unfinished session of this runbook exists. Resume it (Enter), start a new one
// (n), look at it read-only when another process holds it (r), or leave (q).

import {Box, Text, useApp, useInput} from 'ink';
import {safeText} from '../terminal/safe-text.js';
import {color} from './theme.js';

export type ResumeChoice = 'resume' | 'new' | 'read-only' | 'quit';

export interface ResumeOffer {
  title: string;
  startedAt: string;
  progress: string;
  lastStep: string | null;
  changes: string | null;
  inUse: {pid: number; host: string; since: string} | null;
}

const time = (iso: string) => {
  const d = new Date(iso);
  // Comes from files (a lock, a session) another program or a person may have written: never trusted to be a date.
  if (!Number.isFinite(d.getTime())) return 'an unknown time';
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toTimeString().slice(0, 5) : `${d.toISOString().slice(0, 10)} ${d.toTimeString().slice(0, 5)}`;
};

export function ResumePrompt({offer, onChoice}: {offer: ResumeOffer; onChoice: (choice: ResumeChoice) => void}) {
  const {exit} = useApp();
  const choose = (choice: ResumeChoice) => {
    onChoice(choice);
    exit();
  };
  useInput((input, key) => {
    if (key.return && !offer.inUse) choose('resume');
    else if (input === 'n') choose('new');
    else if (input === 'r' && offer.inUse) choose('read-only');
    else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) choose('quit');
  });
  const summary = `Resume session started ${time(offer.startedAt)} — ${offer.progress}${offer.lastStep ? `, last: ${offer.lastStep}` : ''}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color(offer.inUse ? 'warn' : 'accent')} paddingX={1}>
      <Text bold>{safeText(offer.title)}</Text>
      <Text>{safeText(summary)}</Text>
      {offer.changes ? <Text color={color('warn')}>{safeText(offer.changes)}</Text> : null}
      {offer.inUse ? (
        <Text color={color('warn')}>
          {offer.inUse.pid > 0
            ? `In use by pid ${offer.inUse.pid} on ${safeText(offer.inUse.host)} since ${time(offer.inUse.since)}`
            : `Locked since ${time(offer.inUse.since)} by a lock file that names no process (open it again in 10 s to take it over)`}
          : r read-only view · n new session · q quit
        </Text>
      ) : (
        <Text color={color('accent')}>Enter resume · n new session · q quit</Text>
      )}
    </Box>
  );
}

// What the operator looked at in the cluster, in the words the session records (and the report shows).
import type {PodLook} from './events.js';

const WHAT: Record<PodLook['view'], string> = {
  logs: 'the live logs of pod',
  previous: 'the previous container’s logs of pod',
  describe: 'the description of pod',
  events: 'the events of namespace',
};

/** `Looked at the previous container’s logs of pod web-7c9-abc (namespace prod)`. */
export function lookedText(look: PodLook): string {
  if (look.view === 'events') return `Looked at ${WHAT.events} ${look.namespace} (selected pod ${look.pod})`;
  return `Looked at ${WHAT[look.view]} ${look.pod} (namespace ${look.namespace})`;
}

// The session's connections (session/clients.ts) for every hook under the App: the panes, the dialogs and the
// controller share one Kubernetes client and one Octokit per environment.
import {createContext, useContext, useState, type ReactNode} from 'react';
import {SessionClients} from '../session/clients.js';

const ClientsContext = createContext<SessionClients | null>(null);

export function ClientsProvider({clients, children}: {clients: SessionClients; children: ReactNode}) {
  return <ClientsContext.Provider value={clients}>{children}</ClientsContext.Provider>;
}

/** The session's clients; a hook mounted on its own (a test, a single pane) gets connections of its own. */
export function useSessionClients(): SessionClients {
  const provided = useContext(ClientsContext);
  const [own] = useState(() => (provided ? null : new SessionClients()));
  return provided ?? own ?? new SessionClients();
}

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, type Schemas } from './api/client';
import { can, type Capability } from './permissions';

export interface Session {
  current: Schemas['CurrentSessionDto'];
  /** The district's name; null for a state admin, who sees every district. */
  districtName: string | null;
  can(capability: Capability): boolean;
}

const SessionContext = createContext<Session | null>(null);

/** Who is signed in, loaded once; the pages below it render only when it is known. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void (async () => {
      const { data } = await api.GET('/api/v1/sessions/current');
      if (!data) {
        // 401 is already on its way to the sign-in page (api/client.ts); anything else is shown.
        if (live) setFailed(true);
        return;
      }
      let districtName: string | null = null;
      if (data.districtId) {
        const district = await api.GET('/api/v1/districts/{id}', { params: { path: { id: data.districtId } } });
        districtName = district.data?.name ?? null;
      }
      if (live) setSession({ current: data, districtName, can: (capability) => can(data.role, capability, data.schoolIds) });
    })().catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  if (failed)
    return (
      <main className="loading">
        <p role="alert">Reconnect could not load your session. Reload the page to try again.</p>
      </main>
    );
  if (!session)
    return (
      <main className="loading" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

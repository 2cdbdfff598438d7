import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

/**
 * One polite and one assertive live region for the whole console: screen readers hear what a page
 * announces (a scan issued, a refusal) without focus leaving where the person is working.
 */
type Announce = (message: string, urgency?: 'polite' | 'assertive') => void;

const AnnouncerContext = createContext<Announce>(() => undefined);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [polite, setPolite] = useState('');
  const [assertive, setAssertive] = useState('');
  const announce = useCallback<Announce>((message, urgency = 'polite') => {
    // Alternating a trailing no-break space makes the same message twice in a row a change, so it is read again.
    const set = urgency === 'assertive' ? setAssertive : setPolite;
    set((previous) => (previous === message ? `${message}\u00a0` : message));
  }, []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {polite}
      </div>
      <div className="visually-hidden" role="alert" aria-live="assertive" aria-atomic="true">
        {assertive}
      </div>
    </AnnouncerContext.Provider>
  );
}

export const useAnnounce = (): Announce => useContext(AnnouncerContext);

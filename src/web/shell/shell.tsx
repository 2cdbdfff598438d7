import { useEffect, useRef, type ReactNode } from 'react';
import { api } from '../api/client';
import { ROLE_LABELS } from '../permissions';
import { Link, useLocation } from '../router';
import type { PageRoute } from '../routes';
import { useSession } from '../session';
import { SearchSlot } from './search-slot';

async function signOut(): Promise<void> {
  await api.DELETE('/api/v1/sessions/current');
  window.location.assign('/sign-in');
}

/** Header (district, person, sign-out, search), role-aware navigation, and the page as the main landmark. */
export function Shell({
  routes,
  page,
  title,
  children,
}: {
  routes: PageRoute[];
  page: PageRoute | null;
  title: string;
  children: ReactNode;
}) {
  const session = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const person = session.current.staffUser?.name ?? session.current.token?.name ?? 'Signed in';
  const first = useRef(true);

  useEffect(() => {
    document.title = `${title} · Reconnect`;
    // After moving to another page, keyboard and screen-reader users start at its content, not the header.
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path, title]);

  const nav = routes.filter((route) => route.nav && (!route.capability || session.can(route.capability)));
  return (
    <div className={`shell page-${page ? page.path.split('/')[1] || 'home' : 'none'}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="banner">
        <div className="brand">
          <span className="product">Reconnect</span>
          <span className="district">{session.districtName ?? 'All districts'}</span>
        </div>
        <SearchSlot />
        <div className="who">
          <span>
            {person} <span className="role">({ROLE_LABELS[session.current.role]})</span>
          </span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav aria-label="Main" className="main-nav">
        <ul>
          {nav.map((route) => (
            <li key={route.path}>
              <Link to={route.path} aria-current={route.path === page?.path ? 'page' : undefined}>
                {route.nav}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

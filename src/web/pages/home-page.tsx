import { Link } from '../router';
import { ROUTES } from '../routes';
import { useSession } from '../session';

/** Where sign-in lands: what this person can do from here. */
export function HomePage() {
  const session = useSession();
  return (
    <>
      <h1>Welcome to Reconnect</h1>
      <p>Devices, custody and connectivity for {session.districtName ?? 'every district'}.</p>
      <ul className="cards">
        {ROUTES.filter((route) => route.nav && route.path !== '/' && (!route.capability || session.can(route.capability))).map((route) => (
          <li key={route.path}>
            <Link to={route.path}>{route.title}</Link>
            {route.summary && <p>{route.summary}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

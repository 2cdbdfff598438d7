import { NotFoundPage } from './pages/not-found-page';
import { matchPath, useLocation } from './router';
import { ROUTES } from './routes';
import { useSession } from './session';
import { Shell } from './shell/shell';

/** Picks the page for the path; a page the role may not use is refused, never half-shown. */
export function App() {
  const { path } = useLocation();
  const session = useSession();
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    const allowed = !route.capability || session.can(route.capability);
    return (
      <Shell routes={ROUTES} page={route} title={allowed ? route.title : 'Not available'}>
        {allowed ? route.render(params) : <NotFoundPage forbidden />}
      </Shell>
    );
  }
  return (
    <Shell routes={ROUTES} page={null} title="Page not found">
      <NotFoundPage forbidden={false} />
    </Shell>
  );
}

import type { ReactNode } from 'react';
import type { Capability } from './permissions';
import { HomePage } from './pages/home-page';
import { StationPage } from './station/station-page';

/**
 * The console's pages. A page with `nav` is listed in the header's navigation for the roles that hold
 * its capability; a page without a capability is for everyone signed in. The server answers every path
 * outside /api, /health, /sign-in and /auth with the app, so a new page needs only an entry here.
 */
export interface PageRoute {
  path: string;
  title: string;
  capability?: Capability;
  nav?: string;
  /** One line under its card on the home page. */
  summary?: string;
  render(params: Record<string, string>): ReactNode;
}

export const ROUTES: PageRoute[] = [
  { path: '/', title: 'Home', nav: 'Home', render: () => <HomePage /> },
  {
    path: '/station',
    title: 'Distribution station',
    capability: 'custody',
    nav: 'Station',
    summary: 'Hand out and collect devices and kits with a barcode scanner.',
    render: () => <StationPage />,
  },
];

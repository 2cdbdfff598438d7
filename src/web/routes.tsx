import type { ReactNode } from 'react';
import type { Capability } from './permissions';
import { HomePage } from './pages/home-page';
import { ImportPage } from './pages/imports/import-page';
import { ImportsPage } from './pages/imports/imports-page';
import { LabelsPage } from './pages/labels/labels-page';

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
    path: '/imports',
    title: 'Imports',
    capability: 'readImports',
    nav: 'Imports',
    summary: 'Load rosters, devices, Google Admin and carrier files; follow each one and fix its rows.',
    render: () => <ImportsPage />,
  },
  { path: '/imports/:id', title: 'Import', capability: 'readImports', render: ({ id }) => <ImportPage key={id} id={id!} /> },
  {
    path: '/labels',
    title: 'Print labels',
    capability: 'writeDevices',
    nav: 'Labels',
    summary: 'Asset labels (Code 128 and QR) for devices, a school or a shipment, on Avery sheets or a thermal printer.',
    render: () => <LabelsPage />,
  },
];

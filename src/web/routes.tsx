import { lazy, Suspense, type ReactNode } from 'react';
import type { Capability } from './permissions';
import { HomePage } from './pages/home-page';

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

// Record pages load on first use, keeping the first screen's JavaScript small.
const StationPage = lazy(() => import('./station/station-page').then((m) => ({ default: m.StationPage })));
const StudentPage = lazy(() => import('./pages/student-page').then((m) => ({ default: m.StudentPage })));
const DevicePage = lazy(() => import('./pages/device-page').then((m) => ({ default: m.DevicePage })));
const StudentListPage = lazy(() => import('./pages/student-list-page').then((m) => ({ default: m.StudentListPage })));
const DeviceListPage = lazy(() => import('./pages/device-list-page').then((m) => ({ default: m.DeviceListPage })));
const ImportsPage = lazy(() => import('./pages/imports/imports-page').then((m) => ({ default: m.ImportsPage })));
const ImportPage = lazy(() => import('./pages/imports/import-page').then((m) => ({ default: m.ImportPage })));
const QueuePage = lazy(() => import('./pages/tickets/queue-page').then((m) => ({ default: m.QueuePage })));
const TicketPage = lazy(() => import('./pages/tickets/ticket-page').then((m) => ({ default: m.TicketPage })));
const ReportsPage = lazy(() => import('./pages/reports/reports-page').then((m) => ({ default: m.ReportsPage })));
const SettingsPage = lazy(() => import('./pages/settings/settings-page').then((m) => ({ default: m.SettingsPage })));
const LabelsPage = lazy(() => import('./pages/labels/labels-page').then((m) => ({ default: m.LabelsPage })));

const loading = (page: ReactNode) => (
  <Suspense
    fallback={
      <p aria-busy="true" className="loading-line">
        Loading…
      </p>
    }
  >
    {page}
  </Suspense>
);

export const ROUTES: PageRoute[] = [
  { path: '/', title: 'Home', nav: 'Home', render: () => <HomePage /> },
  {
    path: '/station',
    title: 'Distribution station',
    capability: 'custody',
    nav: 'Station',
    summary: 'Hand out and collect devices and kits with a barcode scanner.',
    render: () => loading(<StationPage />),
  },
  {
    path: '/students',
    title: 'Students',
    nav: 'Students',
    capability: 'readStudents',
    summary: 'Find students by school, grade or learning model; download the list.',
    render: () => loading(<StudentListPage />),
  },
  {
    path: '/devices',
    title: 'Devices',
    nav: 'Devices',
    capability: 'readDevices',
    summary: 'Chromebooks, hotspots and laptops by kind, status or school; download the list.',
    render: () => loading(<DeviceListPage />),
  },
  { path: '/students/:id', title: 'Student', capability: 'readStudents', render: ({ id }) => loading(<StudentPage key={id} id={id!} />) },
  { path: '/devices/:id', title: 'Device', capability: 'readDevices', render: ({ id }) => loading(<DevicePage key={id} id={id!} />) },
  {
    path: '/tickets',
    title: 'Tickets',
    nav: 'Tickets',
    capability: 'readTickets',
    summary: 'The queue: students without a device, internet or a login; work them, assign or close many at once.',
    render: () => loading(<QueuePage />),
  },
  { path: '/tickets/:id', title: 'Ticket', capability: 'readTickets', render: ({ id }) => loading(<TicketPage key={id} id={id!} />) },
  {
    path: '/imports',
    title: 'Imports',
    capability: 'readImports',
    nav: 'Imports',
    summary: 'Load rosters, devices, Google Admin and carrier files; follow each one and fix its rows.',
    render: () => loading(<ImportsPage />),
  },
  { path: '/imports/:id', title: 'Import', capability: 'readImports', render: ({ id }) => loading(<ImportPage key={id} id={id!} />) },
  {
    path: '/labels',
    title: 'Print labels',
    capability: 'writeDevices',
    nav: 'Labels',
    summary: 'Asset labels (Code 128 and QR) for devices, a school or a shipment, on Avery sheets or a thermal printer.',
    render: () => loading(<LabelsPage />),
  },
  {
    path: '/reports',
    title: 'Reports',
    capability: 'readWeeklyReport',
    nav: 'Reports',
    summary: "The state's weekly learning-model report with its CSV and 12-week trend; the federal inventory download.",
    render: () => loading(<ReportsPage />),
  },
  {
    path: '/settings',
    title: 'Settings',
    capability: 'administer',
    nav: 'Settings',
    summary: "The district's settings, its staff users and their roles, and API tokens.",
    render: () => loading(<SettingsPage />),
  },
];

import { describe, expect, it } from '@jest/globals';
import { AUDIT_READERS } from '../src/audit/audit.controller.js';
import { ADMINS, ALL_ROLES } from '../src/auth/access.decorators.js';
import { ROLES as SERVER_ROLES } from '../src/auth/principal.js';
import { CUSTODY_WRITERS } from '../src/custody/custody-roles.js';
import { DEVICE_READERS, DEVICE_WRITERS } from '../src/devices/device-roles.js';
import { IMPORT_READERS, IMPORTERS } from '../src/imports/import-roles.js';
import {
  FEDERAL_INVENTORY_READERS,
  HEALTH_READERS,
  ROLLOUT_READERS,
  TICKET_REPORT_READERS,
  WEEKLY_READERS,
} from '../src/reports/report-roles.js';
import { KIT_WRITERS } from '../src/kits/kits.controller.js';
import { HOME_VISITORS, TICKET_WORKERS } from '../src/tickets/tickets.controller.js';
import { CAPABILITIES, can, ROLES } from '../src/web/permissions.js';

/** The console offers an action only to roles the API lets take it: its table must follow the server's lists. */
describe('console permissions', () => {
  it('match the roles the API routes allow', () => {
    const sorted = (roles: readonly string[]) => [...roles].sort();
    expect(sorted(ROLES)).toEqual(sorted(SERVER_ROLES));
    expect(sorted(CAPABILITIES.custody)).toEqual(sorted(CUSTODY_WRITERS));
    expect(sorted(CAPABILITIES.readDevices)).toEqual(sorted(DEVICE_READERS));
    expect(sorted(CAPABILITIES.writeDevices)).toEqual(sorted(DEVICE_WRITERS));
    expect(sorted(CAPABILITIES.readStudents)).toEqual(sorted(ALL_ROLES));
    expect(sorted(CAPABILITIES.runImports)).toEqual(sorted(IMPORTERS));
    expect(sorted(CAPABILITIES.readImports)).toEqual(sorted(IMPORT_READERS));
    expect(sorted(CAPABILITIES.confirmImports)).toEqual(sorted(ADMINS));
    expect(sorted(CAPABILITIES.writeKits)).toEqual(sorted(KIT_WRITERS));
    expect(sorted(CAPABILITIES.readTickets)).toEqual(sorted(ALL_ROLES));
    expect(sorted(CAPABILITIES.workTickets)).toEqual(sorted(TICKET_WORKERS));
    expect(sorted(CAPABILITIES.homeVisitSheet)).toEqual(sorted(HOME_VISITORS));
    expect(sorted(CAPABILITIES.readAudit)).toEqual(sorted(AUDIT_READERS));
    expect(sorted(CAPABILITIES.readWeeklyReport)).toEqual(sorted(WEEKLY_READERS));
    expect(sorted(CAPABILITIES.readRollout)).toEqual(sorted(ROLLOUT_READERS));
    expect(sorted(CAPABILITIES.readDeviceHealth)).toEqual(sorted(HEALTH_READERS));
    // The reports page's readers may all read the ticket report, which it shows to each of them.
    expect(CAPABILITIES.readWeeklyReport.every((role) => TICKET_REPORT_READERS.includes(role))).toBe(true);
    expect(sorted(CAPABILITIES.administer)).toEqual(sorted(ADMINS));
    expect(sorted(CAPABILITIES.readFederalInventory)).toEqual(sorted(FEDERAL_INVENTORY_READERS));
  });

  it('refuses district-wide pages to school-scoped staff, as @DistrictWide routes do', () => {
    expect(can('tech', 'runImports')).toBe(true);
    expect(can('tech', 'runImports', ['a-school'])).toBe(false);
    expect(can('tech', 'readDevices', ['a-school'])).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { DEFAULT_STATUS_LABELS, statusLabelKey } from '../../devices/device.domain.js';
import { dateOrMonths, deviceKind, exportDate, money } from '../parts/devices.js';
import { directoryDeviceFields } from '../parts/chromeos-devices.js';
import { mapLoginEvent, reportsActivityFields } from '../parts/login-events.js';
import { enrollmentsPart, usersPart } from '../parts/oneroster.js';
import { CellError, date, epochMillisDate, megabytes, text, timestamp } from './values.js';

describe('cell parsers', () => {
  it('reads date-times with a zone, in UTC', () => {
    expect(timestamp('2020-10-05T13:02:11.000Z')).toBe('2020-10-05T13:02:11.000Z');
    expect(timestamp('2020-10-05 09:02:11-04:00')).toBe('2020-10-05T13:02:11.000Z');
    expect(timestamp('2020-10-05T09:02+0530')).toBe('2020-10-05T03:32:00.000Z');
    for (const bad of ['2020-10-05T13:02:11', '2020-13-05T10:00:00Z', 'yesterday', '2020-10-05'])
      expect(() => timestamp(bad)).toThrow(CellError);
  });

  it('reads dates, months and epoch milliseconds', () => {
    expect(date('2026-06-30T00:00:00Z')).toBe('2026-06-30');
    expect(date('2026-06')).toBe('2026-06-30');
    expect(date('2024-02')).toBe('2024-02-29');
    expect(() => date('2026-02-30')).toThrow(CellError);
    expect(epochMillisDate('1719792000000')).toBe('2024-07-01');
  });

  it('reads a date exactly when it is on the calendar, as PostgreSQL does', () => {
    // Every day of a leap-rule sample of years, and the days just past each month's end.
    for (const year of [1, 99, 1900, 2000, 2024, 2026, 2100, 9999])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const real = new Date(Date.UTC(2000, month - 1, day));
          real.setUTCFullYear(year);
          const onCalendar = month >= 1 && month <= 12 && real.getUTCMonth() === month - 1 && real.getUTCDate() === day;
          if (onCalendar) expect(date(value)).toBe(value);
          else expect(() => date(value)).toThrow(CellError);
        }
    expect(date('1900-02')).toBe('1900-02-28');
    expect(date('2000-02')).toBe('2000-02-29');
    // Date() took year 0 (and read "0000-02" as February 1900); PostgreSQL refuses it.
    for (const bad of ['0000-01-01', '0000-02', '2026-00', '2026-13', '2026-1-05', '26-01-05']) expect(() => date(bad)).toThrow(CellError);
  });

  it('refuses computed dates past year 9999 instead of writing "+010000-…"', () => {
    expect(epochMillisDate('253402300799999')).toBe('9999-12-31');
    expect(() => epochMillisDate('253402300800000')).toThrow('date out of range');
    expect(dateOrMonths('36 months', '2024-08-31')).toBe('2027-08-31');
    expect(() => dateOrMonths('12', '9999-06-01')).toThrow('date out of range');
  });

  it('reads data amounts in megabytes', () => {
    expect(megabytes('1024')).toBe(1024);
    expect(megabytes('1,024')).toBe(1024);
    expect(megabytes('2.5 GB')).toBe(2560);
    expect(megabytes('512kb')).toBe(1);
    expect(megabytes('Unlimited')).toBeNull();
    expect(() => megabytes('lots')).toThrow(CellError);
  });

  it('refuses text PostgreSQL would refuse, before it can fail a batch', () => {
    expect(() => text('a\u0000b', 10)).toThrow('NUL');
    expect(() => text('x'.repeat(11), 10)).toThrow('longer than 10');
  });
});

describe('field mapping', () => {
  it('reads asset system categories and statuses', () => {
    expect(['Chromebooks', 'MiFi Hotspot', 'Windows Laptops', 'Projector'].map(deviceKind)).toEqual([
      'chromebook',
      'hotspot',
      'laptop',
      'other',
    ]);
    const meaning = (label: string) => DEFAULT_STATUS_LABELS[statusLabelKey(label)];
    expect(
      ['Ready to Deploy', 'DEPLOYED', 'Archived', 'Broken - Not Fixable', 'lost / stolen', 'Pending Diagnostics'].map(meaning),
    ).toEqual([
      { label: 'Ready to Deploy', status: 'in_stock', condition: 'working' },
      { label: 'Deployed', status: 'assigned', condition: null },
      { label: 'Archived', status: 'retired', condition: null },
      { label: 'Broken - Not Fixable', status: 'retired', condition: 'broken' },
      { label: 'Lost/Stolen', status: 'lost', condition: null },
      { label: 'Pending Diagnostics', status: 'in_stock', condition: 'damaged' },
    ]);
    expect(meaning('On Fire')).toBeUndefined();
  });

  it('reads purchase dates and costs as asset systems export them', () => {
    expect(['2020-08-14', '2020-08-14 00:00:00', '8/14/2020'].map(exportDate)).toEqual(['2020-08-14', '2020-08-14', '2020-08-14']);
    expect(() => exportDate('14.08.2020')).toThrow(CellError);
    expect(['349', '$1,249.50', 'USD 349.00'].map(money)).toEqual([349, 1249.5, 349]);
    expect(() => money('a lot')).toThrow(CellError);
  });

  it('takes OneRoster students: first grade, skipping other roles, naming bad fields', () => {
    const part = usersPart('users.csv', 'delta');
    expect(
      part.map({
        sourcedId: 's1',
        role: 'student',
        givenName: 'A',
        familyName: 'B',
        orgSourcedIds: 'o1, o2',
        grades: '09,10',
        status: 'tobedeleted',
      }),
    ).toEqual({
      // role, agentSourcedIds, the phone and sms a guardian's row carries, and the enrolment date (none read).
      row: ['s1', 'o1,o2', null, 'A', 'B', '09', null, 'withdrawn', 'student', null, null, null, null],
      key: 's1',
    });
    expect(part.map({ sourcedId: 't1', role: 'teacher', givenName: 'T', familyName: 'T', orgSourcedIds: 'o1' })).toEqual({ skip: true });
    // A parent is a family contact of the students it names, with no key (withdrawals concern students only).
    expect(
      part.map({
        sourcedId: 'p1',
        role: 'parent',
        givenName: 'P',
        familyName: 'B',
        orgSourcedIds: 'o1',
        phone: '860',
        agentSourcedIds: 's1, s2',
      }),
    ).toEqual({ row: ['p1', null, null, 'P', 'B', null, null, 'active', 'parent', 's1,s2', '860', null, null] });
    // Each id of agentSourcedIds is a sourcedId (255 characters at most): a longer one failed the batch's guardian links.
    const long = `s${'9'.repeat(255)}`;
    const longMessage = { field: 'agentSourcedIds', message: `"${long.slice(0, 57)}..." is longer than 255 characters (a sourcedId)` };
    expect(part.map({ sourcedId: 'p2', role: 'parent', givenName: 'P', familyName: 'B', agentSourcedIds: `s1,${long}` })).toEqual({
      errors: [longMessage],
    });
    expect(
      part.map({ sourcedId: 's3', role: 'student', givenName: 'A', familyName: 'B', orgSourcedIds: 'o1', agentSourcedIds: long }),
    ).toEqual({
      key: 's3',
      errors: [longMessage],
    });
    expect(part.map({ sourcedId: 's2', role: 'student', familyName: 'B', orgSourcedIds: 'o1', email: 'nope', status: 'gone' })).toEqual({
      key: 's2',
      errors: [
        { field: 'status', message: 'must be active or tobedeleted' },
        { field: 'givenName', message: 'is required' },
        { field: 'email', message: 'not an email address' },
      ],
    });
  });

  it("stages a new student's earliest current enrolment date from the enrollments.csv read before users.csv", () => {
    const dates = new Map<string, string>();
    const enrollments = enrollmentsPart('enrollments.csv', dates);
    const row = (userSourcedId: string, beginDate: string, more: Record<string, string> = {}) =>
      enrollments.map({ sourcedId: `e-${userSourcedId}-${beginDate}`, userSourcedId, role: 'student', beginDate, ...more });
    row('s1', '2020-09-08');
    row('s1', '2020-08-31');
    // Ended, tobedeleted and teachers' enrolments give no date.
    row('s1', '2019-09-01', { endDate: '2020-06-15' });
    row('s1', '2020-01-02', { status: 'tobedeleted' });
    row('t1', '2020-08-01', { role: 'teacher' });
    expect([...dates]).toEqual([['s1', '2020-08-31']]);
    const users = usersPart('users.csv', 'bulk', 'users.csv', dates);
    const student = (sourcedId: string) => users.map({ sourcedId, role: 'student', givenName: 'A', familyName: 'B', orgSourcedIds: 'o1' });
    expect((student('s1') as { row: unknown[] }).row.at(-1)).toBe('2020-08-31');
    expect((student('s2') as { row: unknown[] }).row.at(-1)).toBeNull();
    // Memory is bounded: past the most students it keeps, a date is left to the import's end.
    const few = new Map<string, string>();
    const two = enrollmentsPart('enrollments.csv', few, 2);
    for (const id of ['a', 'b', 'c', 'a'])
      two.map({ sourcedId: `e-${id}`, userSourcedId: id, role: 'student', beginDate: id === 'a' ? '2020-08-30' : '2020-09-01' });
    two.map({ sourcedId: 'e-b2', userSourcedId: 'b', role: 'student', beginDate: '2020-08-01' });
    expect([...few]).toEqual([
      ['a', '2020-08-30'],
      ['b', '2020-08-01'],
    ]);
  });

  it('turns a Directory API device into fields, newest recent user first', () => {
    expect(
      directoryDeviceFields({
        serialNumber: 'S1',
        autoUpdateExpiration: 1719792000000,
        recentUsers: [{ email: 'a@x.org' }, { email: 'b@x.org' }],
        activeTimeRanges: [],
      }),
    ).toEqual({
      serialNumber: 'S1',
      autoUpdateExpiration: '1719792000000',
      recentUsers: 'a@x.org,b@x.org',
    });
    expect(directoryDeviceFields('nope')).toEqual([{ field: null, message: 'not a device object' }]);
  });

  it('keys a Google activity on applicationName, time and uniqueQualifier', () => {
    const fields = reportsActivityFields({
      id: { time: '2020-10-05T13:02:11.000Z', uniqueQualifier: '-47', applicationName: 'login' },
      actor: { email: 'a@x.org' },
      events: [{ name: 'login_verification' }, { name: 'login_success' }],
    });
    expect(fields).toEqual({
      occurredAt: '2020-10-05T13:02:11.000Z',
      email: 'a@x.org',
      event: 'login_success',
      source: 'google:login',
      uniqueId: 'login:2020-10-05T13:02:11.000Z:-47',
    });
    expect(reportsActivityFields({ id: {}, events: [] })).toEqual([
      { field: 'id.time', message: 'is required' },
      { field: 'actor.email', message: 'is required' },
      { field: 'events', message: 'holds no named event' },
    ]);
    // Without an id, the event's own fields make its key.
    expect(mapLoginEvent({ occurredAt: '2020-10-05T13:02:11Z', email: 'A@x.org', event: 'login_success' }, 'csv')).toEqual({
      row: [null, 'A@x.org', '2020-10-05T13:02:11.000Z', 'login_success', 'csv', 'csv|a@x.org|2020-10-05T13:02:11.000Z|login_success'],
    });
  });
});

describe('impossible calendar dates', () => {
  it('refuses a day past the end of its month in every timestamp form, never rolling it into the next month', () => {
    for (const value of [
      '2026-02-30T10:00:00Z',
      '2026-02-30T10:00:00-05:00',
      '2026-02-29 10:00Z',
      '2026-04-31T00:00:00+0200',
      '2026-13-01T00:00:00Z',
    ]) {
      expect(() => timestamp(value)).toThrow(CellError);
    }
    expect(timestamp('2028-02-29T10:00:00-05:00')).toBe('2028-02-29T15:00:00.000Z');
    expect(() => date('2026-02-30')).toThrow(CellError);
  });

  it('checks a date-time already in the stored form (milliseconds, Z) the same as any other', () => {
    expect(timestamp('2028-02-29T23:59:59.999Z')).toBe('2028-02-29T23:59:59.999Z');
    expect(timestamp('1970-01-01T00:00:00.000Z')).toBe('1970-01-01T00:00:00.000Z');
    expect(timestamp('2026-11-09T10:00:00.000z')).toBe('2026-11-09T10:00:00.000Z');
    const refusals: [string, string][] = [
      ['2026-02-29T10:00:00.000Z', 'not a valid date-time'],
      ['2026-00-10T10:00:00.000Z', 'not a valid date-time'],
      ['2026-11-09T24:00:00.000Z', 'not a valid date-time'],
      ['2026-11-09T10:60:00.000Z', 'not a valid date-time'],
      ['2026-11-09T10:00:60.000Z', 'not a valid date-time'],
      ['1969-12-31T23:59:59.999Z', 'date-time out of range'],
      ['2026-11-09T10:00:00.0a0Z', 'not a date-time with a time zone (e.g. 2020-10-05T13:02:11Z)'],
    ];
    for (const [value, message] of refusals) expect(() => timestamp(value)).toThrow(message);
  });
});

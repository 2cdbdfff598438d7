import { describe, expect, it } from '@jest/globals';
import { devicesPart } from '../parts/devices.js';
import { hotspotUsagePart } from '../parts/hotspot-usage.js';
import { USERS_HEADERS } from '../parts/oneroster.js';
import { mapHeader, normalizeHeader } from './headers.js';

describe('normalizeHeader', () => {
  it('treats case, spacing, punctuation and a BOM alike', () => {
    expect(['Serial Number', 'serial_number', 'serialNumber', '\uFEFFSERIAL-NUMBER'].map(normalizeHeader)).toEqual(
      Array(4).fill('serialnumber'),
    );
  });
});

describe('mapHeader', () => {
  it('maps a Snipe-IT export to our fields and reports the columns it ignores', () => {
    const result = mapHeader(
      ['Asset Tag', 'Name', 'Serial', 'Model', 'Category', 'Location', 'Status', 'Custom: Cart'],
      devicesPart().headers,
    );
    expect(result).toEqual({
      mapping: { fields: ['assetTag', null, 'serialNumber', 'model', 'kind', 'school', 'status', null], ignored: ['Custom: Cart'] },
    });
  });

  it('maps Kajeet and plain carrier headers', () => {
    const kajeet = mapHeader(
      ['IMEI', 'MDN', 'STATUS', 'NICKNAME', 'MONTHLY_LIMIT', 'MONTHLY_AMOUNT_USED', 'LAST_30_DAYS_USED', 'UICC'],
      hotspotUsagePart().headers,
    );
    expect(kajeet).toEqual({
      mapping: { fields: ['imei', 'phoneNumber', 'lineStatus', null, 'capMb', 'usedMb', null, 'iccid'], ignored: [] },
    });
    const plain = mapHeader(
      ['imei', 'iccid', 'phone_number', 'line_status', 'cap_mb', 'used_mb', 'last_usage_at'],
      hotspotUsagePart().headers,
    );
    expect('mapping' in plain).toBe(true);
  });

  it('names missing columns, and the unknown ones that may have been meant', () => {
    const result = mapHeader(['Asset Tag', 'Serail', 'Category'], devicesPart().headers);
    expect(result).toEqual({
      problems: [
        { field: 'serialNumber', message: 'missing column (accepted names: "serialNumber", "Serial", "Serial Number", "SN")' },
        { field: 'Serail', message: 'unknown column' },
      ],
    });
  });

  it('refuses unknown columns in a specified format, but allows its extensions', () => {
    const header = USERS_HEADERS.fields.map((f) => f.field);
    expect('mapping' in mapHeader([...header, 'metadata.ext.homeroom'], USERS_HEADERS)).toBe(true);
    expect(mapHeader([...header, 'homeroom'], USERS_HEADERS)).toEqual({ problems: [{ field: 'homeroom', message: 'unknown column' }] });
  });

  it('refuses two columns for one field, and a group with none present', () => {
    expect(mapHeader(['Serial', 'Serial Number', 'Category'], devicesPart().headers)).toEqual({
      problems: [{ field: 'Serial Number', message: 'duplicate column: "Serial" already gives serialNumber' }],
    });
    expect(mapHeader(['STATUS', 'MONTHLY_LIMIT'], hotspotUsagePart().headers)).toEqual({
      problems: [
        { field: 'imei', message: 'needs at least one of the columns imei, iccid, phoneNumber' },
        { field: 'usedMb', message: 'needs at least one of the columns usedMb, usedGb, usedKb, lastUsageAt' },
      ],
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { devicesPart } from '../parts/devices.js';
import { hotspotUsagePart } from '../parts/hotspot-usage.js';
import { USERS_HEADERS } from '../parts/oneroster.js';
import { editDistance, mapHeader, nearestColumn, normalizeHeader } from './headers.js';

describe('normalizeHeader', () => {
  it('treats case, spacing, punctuation, accents and a BOM alike', () => {
    expect(['Serial Number', 'serial_number', 'serialNumber', '\uFEFFSERIAL-NUMBER', 'Sérial Númber'].map(normalizeHeader)).toEqual(
      Array(5).fill('serialnumber'),
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
      mapping: {
        fields: ['assetTag', null, 'serialNumber', 'model', 'kind', 'school', 'status', null],
        ignored: ['Name', 'Custom: Cart'],
        warnings: [
          { column: 'Name', message: 'not used by this import' },
          { column: 'Custom: Cart', message: 'unknown column, ignored' },
        ],
      },
    });
  });

  it('maps Kajeet and plain carrier headers', () => {
    const kajeet = mapHeader(
      ['IMEI', 'MDN', 'STATUS', 'NICKNAME', 'MONTHLY_LIMIT', 'MONTHLY_AMOUNT_USED', 'LAST_30_DAYS_USED', 'UICC'],
      hotspotUsagePart().headers,
    );
    expect(kajeet).toMatchObject({
      mapping: {
        fields: ['imei', 'phoneNumber', 'lineStatus', null, 'capMb', 'usedMb', null, 'iccid'],
        ignored: ['NICKNAME', 'LAST_30_DAYS_USED'],
      },
    });
    const plain = mapHeader(
      ['imei', 'iccid', 'phone_number', 'line_status', 'cap_mb', 'used_mb', 'last_usage_at'],
      hotspotUsagePart().headers,
    );
    expect('mapping' in plain).toBe(true);
  });

  it('names each missing column with the nearest column of the file, and never refuses for an unknown one', () => {
    const result = mapHeader(['Asset Tag', 'Serail Numbr', 'Category', 'Cost Center'], devicesPart().headers);
    expect(result).toEqual({
      problems: [
        {
          field: 'serialNumber',
          message: 'missing column (accepted names: "serialNumber", "Serial", "Serial Number", "SN"); did you mean "Serail Numbr"?',
        },
      ],
    });
    // Nothing near enough: no guess.
    expect(mapHeader(['Asset Tag', 'Category', 'Cost Center'], devicesPart().headers)).toEqual({
      problems: [{ field: 'serialNumber', message: 'missing column (accepted names: "serialNumber", "Serial", "Serial Number", "SN")' }],
    });
    expect(editDistance('serailnumber', 'serialnumber')).toBe(1);
    expect(nearestColumn(['givenName'], ['first_name', 'given_nme'])).toBe('given_nme');
  });

  it('lists unknown and extension columns of a specified format as warnings', () => {
    const header = USERS_HEADERS.fields.map((f) => f.field);
    expect(mapHeader([...header, 'metadata.ext.homeroom', 'ext_clever_id', 'homeroom'], USERS_HEADERS)).toMatchObject({
      mapping: {
        ignored: ['metadata.ext.homeroom', 'ext_clever_id', 'homeroom'],
        warnings: [
          { column: 'metadata.ext.homeroom', message: 'extension column, ignored' },
          { column: 'ext_clever_id', message: 'extension column, ignored' },
          { column: 'homeroom', message: 'unknown column, ignored' },
        ],
      },
    });
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

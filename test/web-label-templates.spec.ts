import { describe, expect, it } from '@jest/globals';
import { LABEL_TEMPLATE_NAMES, LABEL_TEMPLATES } from '../src/labels/labels.domain.js';
import { TEMPLATE_NAMES, TEMPLATES } from '../src/web/pages/labels/templates.js';

/** The console's preview draws the sheets the API prints: its geometry must be the server's. */
describe('console label templates', () => {
  it('match the stocks POST /labels prints on', () => {
    expect([...TEMPLATE_NAMES].sort()).toEqual([...LABEL_TEMPLATE_NAMES].sort());
    const fields = [
      'pageWidth',
      'pageHeight',
      'columns',
      'rows',
      'labelWidth',
      'labelHeight',
      'left',
      'top',
      'pitchX',
      'pitchY',
      'padding',
    ] as const;
    for (const name of TEMPLATE_NAMES) {
      const server = LABEL_TEMPLATES[name];
      for (const field of fields) expect([name, field, TEMPLATES[name][field]]).toEqual([name, field, server[field]]);
    }
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildOpenApi } from '../src/app.factory.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The console's typed client (src/web/api/schema.d.ts) is generated from the service's own OpenAPI
 * document. This test regenerates it in memory and fails when the committed file is stale;
 * `npm run api:client` runs it with UPDATE_API_CLIENT=1, which writes the file instead.
 */
const SCHEMA_FILE = 'src/web/api/schema.d.ts';
const HEADER = '// Generated from the OpenAPI document by `npm run api:client` (test/api-client.e2e-spec.ts). Do not edit.\n\n';

describe('the console API client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is generated from the current OpenAPI document', async () => {
    const document = buildOpenApi(t.app) as unknown as OpenAPI3;
    // A field with a default is optional in a request: the server fills it in.
    const generated = HEADER + astToString(await openapiTS(document, { alphabetize: true, defaultNonNullable: false }));
    if (process.env['UPDATE_API_CLIENT'] === '1') writeFileSync(SCHEMA_FILE, generated);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    // A plain equality would print two 10,000-line files; say what to do instead.
    if (committed !== generated) throw new Error(`${SCHEMA_FILE} is stale: run npm run api:client and commit it`);
    expect(committed).toBe(generated);
  });
});

import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RosterItem } from './oneroster-rest.source.js';

/** The saved pages, one item of JSON a line, as they were fetched. */
async function* pageItems(path: string): AsyncGenerator<unknown> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as unknown;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function end(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** The pages as one Google API answer (`{ "chromeosdevices": [...] }`): the file the import of that kind reads. */
export async function googleAnswerFile(pagesPath: string, outPath: string, key: string): Promise<void> {
  const out = createWriteStream(outPath);
  await write(out, `{${JSON.stringify(key)}:[`);
  let first = true;
  for await (const item of pageItems(pagesPath)) {
    await write(out, (first ? '' : ',\n') + JSON.stringify(item));
    first = false;
  }
  await write(out, ']}\n');
  await end(out);
}

const ORG_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'];
const USER_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'orgSourcedIds',
  'role',
  'username',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'grades',
];

const cell = (value: unknown): string => {
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  return `"${text.replace(/"/g, '""')}"`;
};
const csvLine = (values: unknown[]): string => `${values.map(cell).join(',')}\r\n`;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const ref = (value: unknown): string | null => {
  const id = obj(value)['sourcedId'];
  return typeof id === 'string' && id ? id : null;
};

function orgRow(org: Json): unknown[] {
  return [org['sourcedId'], org['status'], org['dateLastModified'], org['name'], org['type'], org['identifier'], ref(org['parent'])];
}

/**
 * A OneRoster REST user as a 1.1 users.csv row. 1.2 gives roles instead of role and orgs: the student
 * is one of the orgs of their student roles, the primary org first; the master identifier stands in
 * for a missing identifier.
 */
function userRow(user: Json): unknown[] {
  const roles = list(user['roles']);
  const studentRoles = roles.filter((r) => r['role'] === 'student');
  const orgs = roles.length
    ? [
        ref(user['primaryOrg']),
        ...studentRoles.filter((r) => r['roleType'] === 'primary').map((r) => ref(r['org'])),
        ...studentRoles.map((r) => ref(r['org'])),
      ]
    : list(user['orgs']).map((o) => ref(o));
  const role = typeof user['role'] === 'string' ? user['role'] : studentRoles.length || !roles.length ? 'student' : roles[0]['role'];
  const grades = Array.isArray(user['grades'])
    ? (user['grades'] as unknown[]).filter((g) => typeof g === 'string').join(',')
    : user['grades'];
  return [
    user['sourcedId'],
    user['status'],
    user['dateLastModified'],
    user['enabledUser'],
    [...new Set(orgs.filter((o): o is string => o !== null))].join(','),
    role,
    user['username'],
    user['givenName'],
    user['familyName'],
    user['middleName'],
    user['identifier'] ?? user['userMasterIdentifier'],
    user['email'],
    grades,
  ];
}

/**
 * The schools and students read as a OneRoster folder (manifest.csv, orgs.csv, users.csv), in bulk
 * mode: the server's lists are the whole roster, so the import's safe-withdrawal rule applies as to a
 * bulk zip.
 */
export async function rosterFolder(pagesPath: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const manifest = createWriteStream(join(outDir, 'manifest.csv'));
  await write(manifest, csvLine(['propertyName', 'value']));
  for (const [property, value] of [
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.1'],
    ['file.orgs', 'bulk'],
    ['file.users', 'bulk'],
    ['source.systemName', 'Reconnect OneRoster REST connector'],
  ])
    await write(manifest, csvLine([property, value]));
  await end(manifest);
  const orgs = createWriteStream(join(outDir, 'orgs.csv'));
  const users = createWriteStream(join(outDir, 'users.csv'));
  try {
    await write(orgs, csvLine(ORG_COLUMNS));
    await write(users, csvLine(USER_COLUMNS));
    for await (const item of pageItems(pagesPath)) {
      const { t, v } = item as RosterItem;
      if (t === 'org') await write(orgs, csvLine(orgRow(obj(v))));
      else await write(users, csvLine(userRow(obj(v))));
    }
  } finally {
    await Promise.all([end(orgs), end(users)]);
  }
}

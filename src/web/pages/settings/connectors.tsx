import { useState, type FormEvent } from 'react';
import { api, type Problem, type Schemas } from '../../api/client';
import { Field } from '../../ui/action-dialog';
import { label, when } from '../../ui/format';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formText } from './form-text';

type Connector = Schemas['ConnectorDto'];
type Kind = Connector['kind'];

const KIND_WORDS: Record<Kind, string> = {
  'google-workspace': 'Google Workspace (Chromebooks and logins)',
  'oneroster-rest': 'OneRoster REST (schools and students)',
};
const WRITE_BACK = [
  ['off', 'Off'],
  ['dry_run', 'Dry run (record what would be written)'],
  ['on', 'On (write to Google Admin)'],
] as const;

/** The settings of a kind from the form; a secret left empty is not sent, so an update keeps the stored one. */
async function settingsFrom(kind: Kind, form: FormData): Promise<Record<string, unknown>> {
  if (kind === 'oneroster-rest') {
    const settings: Record<string, unknown> = {
      baseUrl: formText(form, 'baseUrl'),
      tokenUrl: formText(form, 'tokenUrl'),
      clientId: formText(form, 'clientId'),
    };
    if (formText(form, 'clientSecret')) settings['clientSecret'] = formText(form, 'clientSecret');
    return settings;
  }
  const settings: Record<string, unknown> = { adminEmail: formText(form, 'adminEmail'), writeBack: formText(form, 'writeBack') || 'off' };
  const key = form.get('serviceAccountKey');
  // The key file as Google hands it out; the API checks its fields and says which is wrong.
  if (key instanceof File && key.size) settings['serviceAccountKey'] = JSON.parse(await key.text()) as unknown;
  return settings;
}

/** The fields of a kind; on an update the secret fields may stay empty (the stored secret is kept). */
function KindFields({ kind, connector }: { kind: Kind; connector: Connector | null }) {
  const settings = (connector?.settings ?? {}) as Record<string, unknown>;
  const text = (name: string): string => (typeof settings[name] === 'string' ? settings[name] : '');
  const keep = connector ? ' (leave empty to keep the stored one; never shown)' : ' (never shown again)';
  if (kind === 'oneroster-rest')
    return (
      <>
        <Field label="Base URL of the OneRoster API">
          {(id) => <input id={id} name="baseUrl" type="url" required defaultValue={text('baseUrl')} />}
        </Field>
        <Field label="Token URL (OAuth 2.0 client credentials)">
          {(id) => <input id={id} name="tokenUrl" type="url" required defaultValue={text('tokenUrl')} />}
        </Field>
        <Field label="Client ID">
          {(id) => <input id={id} name="clientId" required maxLength={500} defaultValue={text('clientId')} />}
        </Field>
        <Field label={`Client secret${keep}`}>
          {(id) => <input id={id} name="clientSecret" type="password" required={!connector} maxLength={2000} autoComplete="off" />}
        </Field>
      </>
    );
  return (
    <>
      <Field label={`Service account key file (JSON)${keep}`}>
        {(id) => <input id={id} name="serviceAccountKey" type="file" accept="application/json,.json" required={!connector} />}
      </Field>
      <Field label="Admin email the service account acts as">
        {(id) => <input id={id} name="adminEmail" type="email" required defaultValue={text('adminEmail')} />}
      </Field>
      <Field label="Write-back to Google Admin">
        {(id) => (
          <select id={id} name="writeBack" defaultValue={text('writeBack') || 'off'}>
            {WRITE_BACK.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

/**
 * Live connectors (README, "Live connectors"): one of each kind per district, with its state, its last run
 * and its next one; run now, change settings or replace a secret (which starts a stopped one again).
 */
export function Connectors({ districtId }: { districtId: string }) {
  const list = useLoad(() => outcome(api.GET('/api/v1/connectors', { params: { query: { districtId, limit: 10 } } })), [districtId]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [newKind, setNewKind] = useState<Kind>('oneroster-rest');
  const [editing, setEditing] = useState<string | null>(null);
  const connectors = list.data?.data ?? [];
  const free = (['oneroster-rest', 'google-workspace'] as const).filter((kind) => !connectors.some((c) => c.kind === kind));
  const kind = free.includes(newKind) ? newKind : free[0];

  const done = (result: { problem?: Problem | null }, words: string) => {
    setProblem(result.problem ?? null);
    if (!result.problem) {
      setStatus(words);
      setEditing(null);
      list.reload();
    }
  };
  const settingsOf = async (kindOf: Kind, form: FormData) => {
    try {
      return await settingsFrom(kindOf, form);
    } catch {
      setProblem({
        status: 400,
        code: 'validation_failed',
        detail: 'The key file is not JSON: choose the .json file Google Cloud downloaded.',
      });
      return null;
    }
  };

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!kind) return;
    const settings = await settingsOf(kind, new FormData(event.currentTarget));
    if (!settings) return;
    done(
      await outcome(api.POST('/api/v1/connectors', { body: { districtId, kind, settings } })),
      `Added the ${KIND_WORDS[kind]} connector.`,
    );
  };
  const update = async (event: FormEvent<HTMLFormElement>, connector: Connector) => {
    event.preventDefault();
    const settings = await settingsOf(connector.kind, new FormData(event.currentTarget));
    if (!settings) return;
    done(
      await outcome(api.PATCH('/api/v1/connectors/{id}', { params: { path: { id: connector.id } }, body: { settings } })),
      `Saved the ${KIND_WORDS[connector.kind]} connector.`,
    );
  };
  const runNow = async (connector: Connector) =>
    done(
      await outcome(api.POST('/api/v1/connectors/{id}/runs', { params: { path: { id: connector.id } }, body: {} })),
      `A run of the ${KIND_WORDS[connector.kind]} connector is queued.`,
    );

  return (
    <section aria-labelledby="connectors-heading">
      <h2 id="connectors-heading">Live connectors</h2>
      <ProblemMessage problem={list.problem} />
      {list.data &&
        (connectors.length ? (
          <table>
            <caption className="visually-hidden">Live connectors</caption>
            <thead>
              <tr>
                <th scope="col">Connector</th>
                <th scope="col">State</th>
                <th scope="col">Last run</th>
                <th scope="col">Next run</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {connectors.map((connector) => (
                <tr key={connector.id}>
                  <td>{KIND_WORDS[connector.kind]}</td>
                  <td>
                    {connector.status === 'active' ? 'Active' : `Stopped: ${connector.stoppedReason ?? label(connector.stoppedCode ?? '')}`}
                  </td>
                  <td>
                    {connector.lastRun
                      ? `${label(connector.lastRun.status)}, ${when(connector.lastRun.finishedAt ?? connector.lastRun.createdAt)}: ` +
                        `${connector.lastRun.read} read, ${connector.lastRun.changed} changed` +
                        (connector.lastRun.error ? ` (${connector.lastRun.error})` : '')
                      : 'Never run'}
                  </td>
                  <td>{connector.nextRunAt ? when(connector.nextRunAt) : 'Not scheduled'}</td>
                  <td className="actions">
                    <button type="button" className="secondary" onClick={() => void runNow(connector)}>
                      Run now
                    </button>
                    <button type="button" className="secondary" onClick={() => setEditing(editing === connector.id ? null : connector.id)}>
                      {editing === connector.id ? 'Cancel changes' : 'Change settings'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No connectors yet: the district's data arrives only by the files it uploads.</p>
        ))}
      {connectors
        .filter((connector) => connector.id === editing)
        .map((connector) => (
          <form
            key={connector.id}
            className="settings-form"
            aria-label={`Settings of the ${KIND_WORDS[connector.kind]} connector`}
            onSubmit={(event) => void update(event, connector)}
          >
            <KindFields kind={connector.kind} connector={connector} />
            <button type="submit">Save connector</button>
          </form>
        ))}
      {list.data && kind && (
        <form className="settings-form" aria-label="Add a connector" onSubmit={(event) => void create(event)}>
          <Field label="Kind">
            {(id) => (
              <select
                id={id}
                value={kind}
                onChange={(event) => setNewKind(event.target.value === 'google-workspace' ? 'google-workspace' : 'oneroster-rest')}
              >
                {free.map((value) => (
                  <option key={value} value={value}>
                    {KIND_WORDS[value]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <KindFields key={kind} kind={kind} connector={null} />
          <button type="submit">Add connector</button>
        </form>
      )}
      <ProblemMessage problem={problem} />
      <p role="status">{status}</p>
    </section>
  );
}

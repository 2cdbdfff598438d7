import { useState, type FormEvent } from 'react';
import { api, type Problem } from '../../api/client';
import { ROLE_LABELS, type Role } from '../../permissions';
import { Field } from '../../ui/action-dialog';
import { when } from '../../ui/format';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { grantableRoles } from './staff-users';
import { formText } from './form-text';

/**
 * API tokens for scripts and integrations: create one (its secret is shown here once and never again),
 * and revoke. The list shows names, roles and dates, never secrets.
 */
export function ApiTokens({ districtId, stateAdmin }: { districtId: string; stateAdmin: boolean }) {
  const list = useLoad(() => outcome(api.GET('/api/v1/tokens')), []);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [status, setStatus] = useState('');
  const roles = grantableRoles(stateAdmin);
  const tokens = (list.data?.data ?? []).filter((token) => token.districtId === districtId);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const role: Role = roles.find((value) => value === form.get('role')) ?? 'auditor';
    const result = await outcome(api.POST('/api/v1/tokens', { body: { name: formText(form, 'name'), role, districtId } }));
    setProblem(result.problem ?? null);
    if (result.data) {
      setSecret({ name: result.data.name, secret: result.data.secret });
      setStatus('');
      element.reset();
      list.reload();
    }
  };

  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Revoke the token "${name}"? Whatever uses it stops working at once.`)) return;
    const result = await outcome(api.POST('/api/v1/tokens/{id}/revoke', { params: { path: { id } } }));
    setProblem(result.problem ?? null);
    if (result.data) {
      setStatus(`Revoked the token "${name}".`);
      list.reload();
    }
  };

  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <ProblemMessage problem={list.problem} />
      {list.data &&
        (tokens.length ? (
          <table>
            <caption className="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{ROLE_LABELS[token.role]}</td>
                  <td>{when(token.createdAt)}</td>
                  <td>
                    {token.revokedAt ? (
                      `Revoked ${when(token.revokedAt)}`
                    ) : (
                      <button type="button" aria-label={`Revoke ${token.name}`} onClick={() => void revoke(token.id, token.name)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No API tokens yet.</p>
        ))}
      <form className="filters" aria-label="Create an API token" onSubmit={(event) => void create(event)}>
        <Field label="Token name">{(id) => <input id={id} name="name" required maxLength={200} />}</Field>
        <Field label="Token role">
          {(id) => (
            <select id={id} name="role" defaultValue="auditor">
              {roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">Create token</button>
      </form>
      <ProblemMessage problem={problem} />
      {secret && (
        <div className="secret" role="status">
          <p>
            The secret of <strong>{secret.name}</strong>, shown only this once: copy it now.
          </p>
          <output aria-label="New token secret">{secret.secret}</output>{' '}
          <button type="button" onClick={() => setSecret(null)}>
            I have copied it
          </button>
        </div>
      )}
      <p role="status">{status}</p>
    </section>
  );
}

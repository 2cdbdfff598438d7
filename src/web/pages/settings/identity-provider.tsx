import { useState, type FormEvent } from 'react';
import { api, type Problem } from '../../api/client';
import { Field } from '../../ui/action-dialog';
import { when } from '../../ui/format';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formText } from './form-text';

/**
 * The district's OpenID Connect provider for staff sign-in. The client secret is never shown back, so a
 * save asks for it again (the API replaces the whole setting).
 */
export function IdentityProvider({ districtId }: { districtId: string }) {
  const current = useLoad(
    () => outcome(api.GET('/api/v1/districts/{id}/identity-provider', { params: { path: { id: districtId } } })),
    [districtId],
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const provider = current.data;
  const missing = current.problem?.code === 'identity_provider_not_found';

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    setStatus('');
    const result = await outcome(
      api.PUT('/api/v1/districts/{id}/identity-provider', {
        params: { path: { id: districtId } },
        body: {
          issuer: formText(form, 'issuer'),
          clientId: formText(form, 'clientId'),
          clientSecret: formText(form, 'clientSecret'),
          allowedDomains: formText(form, 'allowedDomains')
            .split(/[\s,]+/)
            .filter(Boolean),
        },
      }),
    );
    setProblem(result.problem ?? null);
    if (result.data) {
      setStatus('Saved the identity provider.');
      current.reload();
    }
  };

  return (
    <section aria-labelledby="idp-heading">
      <h2 id="idp-heading">Identity provider (staff sign-in)</h2>
      {!missing && <ProblemMessage problem={current.problem} />}
      {missing && <p>No identity provider yet: staff can sign in only with API tokens.</p>}
      {provider && (
        <dl className="facts">
          <dt>Issuer</dt>
          <dd>{provider.issuer}</dd>
          <dt>Client ID</dt>
          <dd>{provider.clientId}</dd>
          <dt>Allowed email domains</dt>
          <dd>{provider.allowedDomains.length ? provider.allowedDomains.join(', ') : 'Any (the staff list decides)'}</dd>
          <dt>Redirect URI to register with the provider</dt>
          <dd>
            <code>{provider.redirectUri}</code>
          </dd>
          <dt>Updated</dt>
          <dd>{when(provider.updatedAt)}</dd>
        </dl>
      )}
      {(provider || missing) && (
        <form
          key={provider?.updatedAt ?? 'new'}
          className="settings-form"
          aria-label="Identity provider"
          onSubmit={(event) => void save(event)}
        >
          <Field label="Issuer URL">
            {(id) => <input id={id} name="issuer" type="url" required defaultValue={provider?.issuer ?? ''} />}
          </Field>
          <Field label="Client ID">
            {(id) => <input id={id} name="clientId" required maxLength={500} defaultValue={provider?.clientId ?? ''} />}
          </Field>
          <Field label="Client secret (entered again on every save; never shown)">
            {(id) => <input id={id} name="clientSecret" type="password" required maxLength={2000} autoComplete="off" />}
          </Field>
          <Field label="Allowed email domains (comma or space separated)">
            {(id) => <input id={id} name="allowedDomains" defaultValue={provider?.allowedDomains.join(', ') ?? ''} />}
          </Field>
          <button type="submit">Save identity provider</button>
          <ProblemMessage problem={problem} />
          <p role="status">{status}</p>
        </form>
      )}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { api, idempotencyKey, type Problem, type Schemas } from '../../api/client';
import { ROLE_LABELS, ROLES, type Role } from '../../permissions';
import { ActionDialog, Choice, Field } from '../../ui/action-dialog';
import { toggled, when } from '../../ui/format';
import { Pager, useCursors } from '../../ui/pager';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formText } from './form-text';

type StaffUser = Schemas['StaffUserDto'];
const PAGE_SIZE = 50;

/** The roles an admin may give: a district admin any but state administrator (as the API allows). */
export const grantableRoles = (stateAdmin: boolean): Role[] => ROLES.filter((role) => stateAdmin || role !== 'state_admin');

/**
 * The district's staff accounts (who signs in through the identity provider): add one with a role and,
 * optionally, the schools they are confined to; change a role or scope; disable and enable.
 */
export function StaffUsers({
  districtId,
  stateAdmin,
  schools,
}: {
  districtId: string;
  stateAdmin: boolean;
  schools: Map<string, Schemas['SchoolDto']>;
}) {
  const pages = useCursors();
  const list = useLoad(
    () => outcome(api.GET('/api/v1/staff', { params: { query: { districtId, limit: PAGE_SIZE, cursor: pages.cursor } } })),
    [districtId, pages.cursor],
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const roles = grantableRoles(stateAdmin);

  const [scoping, setScoping] = useState<StaffUser | null>(null);
  /** The district's own schools (a state admin's list holds every district's). */
  const districtSchools = [...schools.values()].filter((school) => school.districtId === undefined || school.districtId === districtId);

  const schoolNames = (user: StaffUser) =>
    user.schoolIds ? user.schoolIds.map((id) => schools.get(id)?.name ?? id).join(', ') : 'Whole district';

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const schoolIds = form.getAll('schoolIds').map(String);
    const result = await outcome(
      api.POST('/api/v1/staff', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: {
          email: formText(form, 'email'),
          name: formText(form, 'name'),
          role: roles.find((role) => role === form.get('role')) ?? 'helpdesk',
          districtId,
          schoolIds: schoolIds.length ? schoolIds : null,
        },
      }),
    );
    setProblem(result.problem ?? null);
    if (result.data) {
      setStatus(`Added ${result.data.name} as ${ROLE_LABELS[result.data.role]}.`);
      element.reset();
      list.reload();
    }
  };

  const change = async (user: StaffUser, body: Schemas['UpdateStaffUserDto'], done: string) => {
    const result = await outcome(api.PATCH('/api/v1/staff/{id}', { params: { path: { id: user.id } }, body }));
    setProblem(result.problem ?? null);
    if (result.data) {
      setStatus(done);
      list.reload();
    }
  };

  return (
    <section aria-labelledby="staff-heading">
      <h2 id="staff-heading">Staff users</h2>
      <ProblemMessage problem={list.problem} />
      {list.data && (
        <div aria-busy={list.loading}>
          <table>
            <caption className="visually-hidden">Staff users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Schools</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((user) => (
                <tr key={user.id}>
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${user.name}`}
                      value={user.role}
                      onChange={(event) => {
                        const role = roles.find((value) => value === event.target.value);
                        if (role) void change(user, { role }, `${user.name} is now ${ROLE_LABELS[role]}.`);
                      }}
                    >
                      {(roles.includes(user.role) ? roles : [user.role, ...roles]).map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {schoolNames(user)}{' '}
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Change schools of ${user.name}`}
                      onClick={() => setScoping(user)}
                    >
                      Change…
                    </button>
                  </td>
                  <td>{when(user.lastSignInAt)}</td>
                  <td>
                    {user.active ? 'Active' : 'Disabled'}{' '}
                    <button
                      type="button"
                      aria-label={`${user.active ? 'Disable' : 'Enable'} ${user.name}`}
                      onClick={() =>
                        void change(user, { active: !user.active }, `${user.name} is ${user.active ? 'disabled' : 'enabled'}.`)
                      }
                    >
                      {user.active ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Staff users" page={pages.page} nextCursor={list.data.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
        </div>
      )}
      <form className="filters" aria-label="Add a staff user" onSubmit={(event) => void add(event)}>
        <Field label="Name">{(id) => <input id={id} name="name" required maxLength={200} />}</Field>
        <Field label="Email">{(id) => <input id={id} name="email" type="email" required maxLength={320} />}</Field>
        <Field label="Role">
          {(id) => (
            <select id={id} name="role" defaultValue="helpdesk">
              {roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Only these schools (none: the whole district)">
          {(id) => (
            <select id={id} name="schoolIds" multiple size={Math.min(4, Math.max(2, schools.size))}>
              {districtSchools.map((school) => (
                <option key={school.id} value={school.id}>
                  {school.name} ({school.code})
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">Add staff user</button>
      </form>
      <ProblemMessage problem={problem} />
      <p role="status">{status}</p>
      {scoping && (
        <ScopeDialog
          user={scoping}
          schools={districtSchools}
          onCancel={() => setScoping(null)}
          onDone={(user) => {
            setScoping(null);
            setStatus(`${user.name} now works in ${schoolNames(user)}; their sessions ended, so they sign in again.`);
            list.reload();
          }}
        />
      )}
    </section>
  );
}

/**
 * Changes an existing account's school scope (PATCH /staff/{id} schoolIds): the whole district, or only
 * the schools ticked. The API ends their sessions and refuses an admin's own scope.
 */
function ScopeDialog({
  user,
  schools,
  onCancel,
  onDone,
}: {
  user: StaffUser;
  schools: Schemas['SchoolDto'][];
  onCancel: () => void;
  onDone: (user: StaffUser) => void;
}) {
  const [scope, setScope] = useState<'district' | 'schools'>(user.schoolIds ? 'schools' : 'district');
  const [picked, setPicked] = useState<Set<string>>(new Set(user.schoolIds ?? []));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async () => {
    setBusy(true);
    const schoolIds = scope === 'district' ? null : [...picked];
    const result = await outcome(api.PATCH('/api/v1/staff/{id}', { params: { path: { id: user.id } }, body: { schoolIds } }));
    setBusy(false);
    if (result.problem) return setProblem(result.problem);
    onDone(result.data);
  };
  return (
    <ActionDialog
      title={`Schools of ${user.name}`}
      submitLabel="Save schools"
      busy={busy}
      problem={problem}
      onCancel={onCancel}
      onSubmit={() => void submit()}
    >
      <Choice
        legend="Works in"
        name="scope"
        value={scope}
        onChange={setScope}
        options={[
          { value: 'district', label: 'The whole district' },
          { value: 'schools', label: 'Only the schools ticked below' },
        ]}
      />
      {scope === 'schools' && (
        <fieldset className="choice">
          <legend>Schools</legend>
          {schools.map((school) => (
            <label key={school.id}>
              <input
                type="checkbox"
                checked={picked.has(school.id)}
                onChange={() => setPicked((previous) => toggled(previous, school.id))}
              />{' '}
              {school.name} ({school.code})
            </label>
          ))}
        </fieldset>
      )}
      <p className="hint">
        A school-scoped account sees and changes only those schools&rsquo; records and cannot open the settings. Saving ends the
        person&rsquo;s sessions.
      </p>
    </ActionDialog>
  );
}

import { useState, type FormEvent } from 'react';
import { api, idempotencyKey, type Problem, type Schemas } from '../../api/client';
import { ActionDialog, Field } from '../../ui/action-dialog';
import { Pager, useCursors } from '../../ui/pager';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formText } from './form-text';

type School = Schemas['SchoolDto'];

/** The district's schools: add one, or change a school's name, code or roster id (GET/POST/PATCH /schools). */
export function Schools({ districtId }: { districtId: string }) {
  const pages = useCursors();
  const list = useLoad(
    () => outcome(api.GET('/api/v1/schools', { params: { query: { districtId, limit: 50, cursor: pages.cursor } } })),
    [districtId, pages.cursor],
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<{ school: School; name: string; code: string; sourcedId: string } | null>(null);
  const [editProblem, setEditProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const result = await outcome(
      api.POST('/api/v1/schools', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: { districtId, name: formText(form, 'name'), code: formText(form, 'code'), sourcedId: formText(form, 'sourcedId') || null },
      }),
    );
    setProblem(result.problem ?? null);
    if (result.data) {
      setStatus(`Added ${result.data.name}.`);
      element.reset();
      list.reload();
    }
  };

  const saveEdit = async () => {
    if (!editing) return;
    setBusy(true);
    const result = await outcome(
      api.PATCH('/api/v1/schools/{id}', {
        params: { path: { id: editing.school.id } },
        body: { name: editing.name.trim(), code: editing.code.trim(), sourcedId: editing.sourcedId.trim() || null },
      }),
    );
    setBusy(false);
    setEditProblem(result.problem ?? null);
    if (result.data) {
      setStatus(`Saved ${result.data.name}.`);
      setEditing(null);
      list.reload();
    }
  };

  return (
    <section aria-labelledby="schools-heading">
      <h2 id="schools-heading">Schools</h2>
      <ProblemMessage problem={list.problem} />
      {list.data && (
        <div aria-busy={list.loading}>
          <table>
            <caption className="visually-hidden">Schools</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Code</th>
                <th scope="col">Roster id (sourcedId)</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((school) => (
                <tr key={school.id}>
                  <td>{school.name}</td>
                  <td>{school.code}</td>
                  <td>{school.sourcedId ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Edit ${school.name}`}
                      onClick={() => {
                        setEditProblem(null);
                        setEditing({ school, name: school.name, code: school.code, sourcedId: school.sourcedId ?? '' });
                      }}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Schools" page={pages.page} nextCursor={list.data.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
        </div>
      )}
      <form className="filters" aria-label="Add a school" onSubmit={(event) => void add(event)}>
        <Field label="School name">{(id) => <input id={id} name="name" required maxLength={200} />}</Field>
        <Field label="School code">{(id) => <input id={id} name="code" required maxLength={60} />}</Field>
        <Field label="Roster id (optional)">{(id) => <input id={id} name="sourcedId" maxLength={200} />}</Field>
        <button type="submit">Add school</button>
      </form>
      <ProblemMessage problem={problem} />
      <p role="status">{status}</p>
      {editing && (
        <ActionDialog
          title={`Edit ${editing.school.name}`}
          submitLabel="Save school"
          busy={busy}
          problem={editProblem}
          onCancel={() => setEditing(null)}
          onSubmit={() => void saveEdit()}
        >
          <Field label="Name">
            {(id) => (
              <input
                id={id}
                required
                maxLength={200}
                value={editing.name}
                onChange={(e) => setEditing({ ...editing, name: e.target.value })}
              />
            )}
          </Field>
          <Field label="Code">
            {(id) => (
              <input
                id={id}
                required
                maxLength={60}
                value={editing.code}
                onChange={(e) => setEditing({ ...editing, code: e.target.value })}
              />
            )}
          </Field>
          <Field label="Roster id">
            {(id) => (
              <input
                id={id}
                maxLength={200}
                value={editing.sourcedId}
                onChange={(e) => setEditing({ ...editing, sourcedId: e.target.value })}
              />
            )}
          </Field>
        </ActionDialog>
      )}
    </section>
  );
}

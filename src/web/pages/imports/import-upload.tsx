import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, asProblem, type Problem, type Schemas } from '../../api/client';
import { useLocation } from '../../router';
import { useSession } from '../../session';
import { ProblemMessage } from './common';
import { UNREACHABLE } from './keyset';
import { KINDS, type ImportKind } from './words';

type District = Schemas['DistrictDto'];

/**
 * Upload a file with its kind (and, for a state administrator, its district); a dry run reports what it
 * would do and writes nothing. A refused file (422 import_file_refused) is shown with each problem the API
 * names; an accepted one opens its page, which follows it to the end.
 */
export function ImportUpload({ districts }: { districts: District[] | null }) {
  const session = useSession();
  const { navigate } = useLocation();
  const ids = useId();
  const [kind, setKind] = useState<ImportKind | ''>('');
  const [districtId, setDistrictId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const stateWide = session.current.districtId === null;
  const targetDistrict = stateWide ? districtId : session.current.districtId;

  useEffect(() => {
    if (problem) document.getElementById(`${ids}-problem`)?.focus();
  }, [problem, ids]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!kind || !file || !targetDistrict) return;
    setBusy(true);
    setProblem(null);
    const form = new FormData();
    form.append('kind', kind);
    if (stateWide) form.append('districtId', targetDistrict);
    form.append('dryRun', String(dryRun));
    form.append('file', file, file.name);
    try {
      // The typed body names the fields; the multipart form carries them, and the file itself.
      const { data, error, response } = await api.POST('/api/v1/imports', {
        body: { kind, dryRun, file: file.name, ...(stateWide ? { districtId: targetDistrict } : {}) },
        bodySerializer: () => form,
      });
      if (data) navigate(`/imports/${data.id}`);
      else setProblem(asProblem(error, response));
    } catch {
      setProblem(UNREACHABLE);
    } finally {
      setBusy(false);
    }
  };

  const hint = KINDS.find((k) => k.kind === kind)?.hint;
  return (
    <form className="upload" onSubmit={(event) => void submit(event)} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Load a file</h2>
      {stateWide && (
        <div className="field">
          <label htmlFor={`${ids}-district`}>District</label>
          <select id={`${ids}-district`} required value={districtId} onChange={(e) => setDistrictId(e.target.value)}>
            <option value="">Choose a district</option>
            {(districts ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.code})
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-kind`}>What the file is</label>
        <select
          id={`${ids}-kind`}
          required
          value={kind}
          onChange={(e) => setKind(e.target.value as ImportKind | '')}
          aria-describedby={hint ? `${ids}-hint` : undefined}
        >
          <option value="">Choose a kind of file</option>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        {hint && (
          <p className="hint" id={`${ids}-hint`}>
            {hint}
          </p>
        )}
        {kind && kind !== 'oneroster' && targetDistrict && <SavedMappings kind={kind} districtId={targetDistrict} />}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-file`}>File</label>
        <input id={`${ids}-file`} type="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="field checkbox">
        <input id={`${ids}-dry`} type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
        <label htmlFor={`${ids}-dry`}>Dry run: report what it would change, and change nothing</label>
      </div>
      <button type="submit" disabled={busy || !kind || !file || !targetDistrict}>
        {busy ? 'Uploading…' : dryRun ? 'Upload for a dry run' : 'Upload and import'}
      </button>
      {problem && <ProblemMessage problem={problem} id={`${ids}-problem`} />}
    </form>
  );
}

/** The district's own column names for this kind: a file whose header holds every mapped header is read through one. */
function SavedMappings({ kind, districtId }: { kind: Exclude<ImportKind, 'oneroster'>; districtId: string }) {
  const [names, setNames] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/v1/import-mappings', { params: { query: { kind, districtId, limit: 100 } } })
      .then(({ data }) => live && setNames(data ? data.data.map((m) => m.name) : null))
      .catch(() => live && setNames(null));
    return () => {
      live = false;
    };
  }, [kind, districtId]);
  if (!names?.length) return null;
  return (
    <p className="hint">
      Saved column names for this kind: {names.join(', ')}. A file whose header has every column a mapping names is read through it.
    </p>
  );
}

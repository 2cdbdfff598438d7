import { useState, type FormEvent } from 'react';
import { api, type Problem, type Schemas } from '../../api/client';
import { Field } from '../../ui/action-dialog';
import { outcome, ProblemMessage, type Outcome } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formText } from './form-text';

type District = Schemas['DistrictDto'];

/** The district with its ETag: a save names the version it was read at, so two admins never overwrite each other unseen. */
async function loadDistrict(id: string): Promise<Outcome<{ district: District; etag: string | null }>> {
  let etag: string | null = null;
  const result = await outcome(
    api.GET('/api/v1/districts/{id}', { params: { path: { id } } }).then((answer) => {
      etag = answer.response.headers.get('ETag');
      return answer;
    }),
  );
  return result.problem ? { problem: result.problem } : { data: { district: result.data, etag } };
}

const number = (form: FormData, name: string) => Number(form.get(name));

/** The district's settings: name, time zone, the gap and health thresholds, the spare pool minimum, closure days. */
export function DistrictSettings({ districtId }: { districtId: string }) {
  const loaded = useLoad(() => loadDistrict(districtId), [districtId]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent<HTMLFormElement>, district: District, etag: string | null) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const closure = formText(form, 'closureDates')
      .split(/[\s,]+/)
      .filter(Boolean);
    setBusy(true);
    setSaved('');
    setProblem(null);
    const result = await outcome(
      api.PATCH('/api/v1/districts/{id}', {
        params: { path: { id: district.id }, header: etag ? { 'If-Match': etag } : {} },
        body: {
          name: formText(form, 'name'),
          timeZone: formText(form, 'timeZone'),
          gapThresholdDays: number(form, 'gapThresholdDays'),
          syncStaleDays: number(form, 'syncStaleDays'),
          hotspotIdleDays: number(form, 'hotspotIdleDays'),
          sparePoolMinimum: number(form, 'sparePoolMinimum'),
          rosterWithdrawalLimitPercent: number(form, 'rosterWithdrawalLimitPercent'),
          closureDates: closure,
        },
      }),
    );
    setBusy(false);
    setProblem(result.problem ?? null);
    if (!result.problem) {
      setSaved(`Saved the settings of ${result.data.name}.`);
      loaded.reload();
    }
  };

  return (
    <section aria-labelledby="district-heading">
      <h2 id="district-heading">District settings</h2>
      <ProblemMessage problem={loaded.problem} />
      {loaded.data && (
        <form
          key={loaded.data.district.updatedAt}
          className="settings-form"
          aria-label="District settings"
          onSubmit={(event) => void save(event, loaded.data!.district, loaded.data!.etag)}
        >
          <p>
            Code <strong>{loaded.data.district.code}</strong>
          </p>
          <Field label="Name">
            {(id) => <input id={id} name="name" required maxLength={200} defaultValue={loaded.data!.district.name} />}
          </Field>
          <Field label="Time zone (IANA, e.g. America/New_York)">
            {(id) => <input id={id} name="timeZone" required defaultValue={loaded.data!.district.timeZone} />}
          </Field>
          <Field label="Login gap: school days without a login">
            {(id) => (
              <input
                id={id}
                name="gapThresholdDays"
                type="number"
                min={1}
                max={60}
                required
                defaultValue={loaded.data!.district.gapThresholdDays}
              />
            )}
          </Field>
          <Field label="Chromebook not syncing after (days)">
            {(id) => (
              <input
                id={id}
                name="syncStaleDays"
                type="number"
                min={1}
                max={365}
                required
                defaultValue={loaded.data!.district.syncStaleDays}
              />
            )}
          </Field>
          <Field label="Hotspot idle after (days)">
            {(id) => (
              <input
                id={id}
                name="hotspotIdleDays"
                type="number"
                min={1}
                max={365}
                required
                defaultValue={loaded.data!.district.hotspotIdleDays}
              />
            )}
          </Field>
          <Field label="Spare pool minimum per school">
            {(id) => (
              <input
                id={id}
                name="sparePoolMinimum"
                type="number"
                min={0}
                max={100000}
                required
                defaultValue={loaded.data!.district.sparePoolMinimum}
              />
            )}
          </Field>
          <Field label="Roster may withdraw unconfirmed (percent)">
            {(id) => (
              <input
                id={id}
                name="rosterWithdrawalLimitPercent"
                type="number"
                min={0}
                max={100}
                required
                defaultValue={loaded.data!.district.rosterWithdrawalLimitPercent}
              />
            )}
          </Field>
          <Field label="Closure days (YYYY-MM-DD, one a line)">
            {(id) => <textarea id={id} name="closureDates" rows={4} defaultValue={loaded.data!.district.closureDates.join('\n')} />}
          </Field>
          <button type="submit" disabled={busy}>
            Save district settings
          </button>
          <ProblemMessage problem={problem} />
          <p role="status">{saved}</p>
        </form>
      )}
    </section>
  );
}

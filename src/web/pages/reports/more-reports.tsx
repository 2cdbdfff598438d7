import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { Link } from '../../router';
import { useSession } from '../../session';
import { Field } from '../../ui/action-dialog';
import { queryString } from '../../ui/format';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';

const FUNNEL = [
  ['delivered', 'Delivered (on manifests)'],
  ['registered', 'Registered'],
  ['assigned', 'Assigned to a student'],
  ['activeUse', 'In active use (7 days)'],
  ['idle', 'Assigned, idle'],
  ['inStock', 'In stock'],
  ['inRepair', 'In repair'],
  ['lostOrStolen', 'Lost or stolen'],
  ['retired', 'Retired'],
] as const;

/** The rollout's reconciliation lists, in words; each downloads in full as CSV from GET /reports/rollout/reconciliation. */
const RECONCILIATION = [
  ['deliveredNotRegistered', 'Delivered, never registered'],
  ['registeredNotOnManifest', 'Registered, on no manifest of it'],
  ['deliveredUnderOtherFunding', 'Delivered, recorded under another funding source'],
] as const;

/** A donation programme's rollout: how far its devices got, per district and school (GET /reports/rollout). */
export function RolloutFunnel({ districtId }: { districtId?: string }) {
  const [fundingSource, setFundingSource] = useState('');
  const report = useLoad(
    () =>
      fundingSource
        ? outcome(api.GET('/api/v1/reports/rollout', { params: { query: { fundingSource, districtId, sampleSize: 0 } } }))
        : Promise.resolve({ data: null }),
    [fundingSource, districtId],
  );
  const show = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('fundingSource');
    setFundingSource(typeof value === 'string' ? value.trim() : '');
  };
  return (
    <section aria-labelledby="rollout-heading">
      <h2 id="rollout-heading">Rollout by funding source</h2>
      <form className="filters screen-only" aria-label="Choose the funding source" onSubmit={show}>
        <Field label="Programme or funding source">{(id) => <input id={id} name="fundingSource" required maxLength={200} />}</Field>
        <button type="submit">Show rollout</button>
      </form>
      <ProblemMessage problem={report.problem} />
      {report.data &&
        (report.data.districts.length ? (
          report.data.districts.map((district) => (
            <table key={district.districtId} className="funnel">
              <caption>
                {district.districtName}: {report.data!.fundingSource}
              </caption>
              <thead>
                <tr>
                  <th scope="col">School</th>
                  {FUNNEL.map(([key, words]) => (
                    <th key={key} scope="col">
                      {words}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {district.schools.map((school) => (
                  <tr key={school.schoolId ?? 'none'}>
                    <th scope="row">{school.schoolName ?? 'No school (store, or never registered)'}</th>
                    {FUNNEL.map(([key]) => (
                      <td key={key}>{school[key]}</td>
                    ))}
                  </tr>
                ))}
                <tr className="total">
                  <th scope="row">District total</th>
                  {FUNNEL.map(([key]) => (
                    <td key={key}>{district.totals[key]}</td>
                  ))}
                </tr>
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={FUNNEL.length + 1}>
                    Reconciliation:{' '}
                    {RECONCILIATION.map(([list, words], index) => (
                      <span key={list}>
                        {index > 0 && ' · '}
                        <a
                          href={`/api/v1/reports/rollout/reconciliation?${queryString({
                            fundingSource: report.data!.fundingSource,
                            list,
                            districtId: district.districtId,
                            format: 'csv',
                          })}`}
                          download
                        >
                          {words} ({district.reconciliation[list].count})
                        </a>
                      </span>
                    ))}
                  </td>
                </tr>
              </tfoot>
            </table>
          ))
        ) : (
          <p>No devices or manifests name this funding source.</p>
        ))}
    </section>
  );
}

/** Equipment that needs attention, as counts, and the schools short of spare Chromebooks (GET /reports/device-health). */
export function DeviceHealth({ districtId }: { districtId?: string }) {
  const report = useLoad(() => outcome(api.GET('/api/v1/reports/device-health', { params: { query: { districtId } } })), [districtId]);
  return (
    <section aria-labelledby="health-heading">
      <h2 id="health-heading">Device health and spare pools</h2>
      <ProblemMessage problem={report.problem} />
      {report.data?.districts.map((district) => (
        <div key={district.districtId}>
          <h3>{district.districtName}</h3>
          <dl className="facts">
            <dt>Chromebooks not syncing ({district.syncStaleDays}+ days)</dt>
            <dd>{district.chromebooksNotSyncing.count}</dd>
            <dt>Chromebooks whose updates end soon</dt>
            <dd>{district.chromebooksAutoUpdateEnding.count}</dd>
            <dt>Chromebooks disabled while assigned</dt>
            <dd>{district.chromebooksDisabledWhileAssigned.count}</dd>
            <dt>Hotspots suspended</dt>
            <dd>{district.hotspotsSuspended.count}</dd>
            <dt>Hotspots over their data cap</dt>
            <dd>{district.hotspotsOverCap.count}</dd>
            <dt>Hotspots idle ({district.hotspotIdleDays}+ days)</dt>
            <dd>{district.hotspotsIdle.count}</dd>
            <dt>Kits returned with items missing</dt>
            <dd>{district.kitsMissingItems.count}</dd>
          </dl>
          {district.sparePoolBelowMinimum.count ? (
            <table>
              <caption>Schools below the spare pool minimum of {district.sparePoolMinimum}</caption>
              <thead>
                <tr>
                  <th scope="col">School</th>
                  <th scope="col">Working spare Chromebooks</th>
                </tr>
              </thead>
              <tbody>
                {district.sparePoolBelowMinimum.items.map((school) => (
                  <tr key={school.schoolId}>
                    <th scope="row">{school.schoolName}</th>
                    <td>{school.spareChromebooks}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <SparePoolsMet minimum={district.sparePoolMinimum} />
          )}
        </div>
      ))}
    </section>
  );
}

/** No school is short: said plainly, and with no minimum set (0, the default) nothing can be, so say that instead. */
function SparePoolsMet({ minimum }: { minimum: number }) {
  const session = useSession();
  if (minimum > 0) return <p>Every school holds at least {minimum === 1 ? '1 spare Chromebook' : `${minimum} spare Chromebooks`}.</p>;
  return (
    <p>
      No spare pool minimum is set, so no school is flagged as running short of spare Chromebooks.
      {session.can('administer') && (
        <>
          {' '}
          <Link to="/settings">Set a minimum in Settings</Link>.
        </>
      )}
    </p>
  );
}

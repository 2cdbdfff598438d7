import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../api/client';
import { Link } from '../router';
import { Field, FilterSelect } from '../ui/action-dialog';
import { formValue, label, pick, queryString } from '../ui/format';
import { Pager, useCursors } from '../ui/pager';
import { outcome, ProblemMessage } from '../ui/problem';
import { useSchools } from '../ui/schools';
import { useLoad } from '../ui/use-load';
import './records.css';

const PAGE_SIZE = 50;
const KINDS = ['chromebook', 'hotspot', 'laptop', 'other'] as const satisfies readonly Schemas['DeviceDto']['kind'][];
const STATUSES = [
  'in_stock',
  'assigned',
  'loaner',
  'in_repair',
  'lost',
  'stolen',
  'retired',
] as const satisfies readonly Schemas['DeviceDto']['status'][];

interface Filters {
  assetTag?: string;
  serialNumber?: string;
  kind?: (typeof KINDS)[number];
  status?: (typeof STATUSES)[number];
  schoolId?: string;
  fundingSource?: string;
}

/** /devices — the district's devices with the API's filters, 50 at a time, and the whole filtered list as CSV. */
export function DeviceListPage() {
  const schools = useSchools();
  const [filters, setFilters] = useState<Filters>({});
  const pages = useCursors();
  const loaded = useLoad(
    () => outcome(api.GET('/api/v1/devices', { params: { query: { ...filters, limit: PAGE_SIZE, cursor: pages.cursor } } })),
    [filters, pages.cursor],
  );

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formValue(form, name);
    setFilters({
      assetTag: text('assetTag'),
      serialNumber: text('serialNumber'),
      kind: pick(KINDS, text('kind')),
      status: pick(STATUSES, text('status')),
      schoolId: text('schoolId'),
      fundingSource: text('fundingSource'),
    });
    pages.reset();
  };

  return (
    <>
      <h1>Devices</h1>
      <form className="filters" aria-label="Filter devices" onSubmit={apply}>
        <FilterSelect label="Kind" name="kind" any="Any" choices={KINDS.map((value) => [value, label(value)])} />
        <FilterSelect label="Status" name="status" any="Any" choices={STATUSES.map((value) => [value, label(value)])} />
        <FilterSelect
          label="School"
          name="schoolId"
          any="All schools"
          choices={[...schools.values()].map((school) => [school.id, school.name])}
        />
        <Field label="Funding source">{(id) => <input id={id} name="fundingSource" maxLength={200} />}</Field>
        <Field label="Asset tag (exact)">{(id) => <input id={id} name="assetTag" maxLength={100} size={12} />}</Field>
        <Field label="Serial (exact)">{(id) => <input id={id} name="serialNumber" maxLength={100} size={12} />}</Field>
        <button type="submit">Apply filters</button>
        <a className="download" href={`/api/v1/devices?${queryString({ ...filters, format: 'csv' })}`} download="devices.csv">
          Download CSV (every match)
        </a>
      </form>
      <ProblemMessage problem={loaded.problem} />
      {loaded.data && (
        <div aria-busy={loaded.loading}>
          {loaded.data.data.length ? (
            <table>
              <caption className="visually-hidden">Devices</caption>
              <thead>
                <tr>
                  <th scope="col">Asset tag</th>
                  <th scope="col">Serial</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col">Condition</th>
                  <th scope="col">School</th>
                  <th scope="col">Held</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.data.map((device) => (
                  <tr key={device.id}>
                    <td>
                      <Link to={`/devices/${device.id}`}>{device.assetTag ?? '(no tag)'}</Link>
                    </td>
                    <td>{device.serialNumber}</td>
                    <td>{label(device.kind)}</td>
                    <td>{device.model ?? '—'}</td>
                    <td>{label(device.status)}</td>
                    <td>{label(device.condition)}</td>
                    <td>{device.schoolId ? (schools.get(device.schoolId)?.name ?? '—') : 'District store'}</td>
                    <td>
                      {device.holder ? (
                        <Link
                          to={`/students/${device.holder.studentId}`}
                          aria-label={`Holder of ${device.assetTag ?? device.serialNumber}`}
                        >
                          Holder
                        </Link>
                      ) : (
                        'No'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No devices match.</p>
          )}
          <Pager label="Devices" page={pages.page} nextCursor={loaded.data.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
        </div>
      )}
    </>
  );
}

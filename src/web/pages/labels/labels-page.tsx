import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, asProblem, type Problem, type Schemas } from '../../api/client';
import { useSession } from '../../session';
import { useAnnounce } from '../../shell/announcer';
import { ProblemMessage } from '../imports/common';
import { UNREACHABLE } from '../imports/keyset';
import { selectionFrom } from './labels-url';
import { SheetPreview } from './sheet-preview';
import { DEFAULT_LINE, MAX_LINE_LENGTH, perPage, sheetsFor, TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './templates';
import '../imports/imports.css';
import './labels.css';

type Device = Schemas['DeviceDto'];
type Mode = 'devices' | 'school' | 'shipment';

/** Lookups in flight at once while a pasted list of tags is resolved. */
const LOOKUPS_AT_ONCE = 4;

/** Runs `work` over `items`, a few at a time, in order of the results' positions. */
async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, items.length) }, worker));
  return results;
}

/** The asset tags a scan or a paste holds: one per line, or separated by commas or tabs (a spreadsheet column). */
const tagsIn = (text: string): string[] =>
  text
    .split(/[\r\n,\t]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);

interface Printed {
  url: string;
  filename: string;
  labels: number;
}

/**
 * /labels: asset labels as a PDF from POST /api/v1/labels. Devices by scanning or pasting asset tags
 * (or preselected by another page: ?deviceIds=, ?schoolId=, ?shipmentId=), a school's or a shipment's
 * devices; the stock and where on a partly used sheet to start; a preview of the first sheet.
 */
export function LabelsPage() {
  const session = useSession();
  const announce = useAnnounce();
  const ids = useId();
  const initial = useRef(selectionFrom(window.location.search)).current;
  const schoolScoped = session.current.schoolIds !== null;
  const [mode, setMode] = useState<Mode>(initial.schoolId ? 'school' : initial.shipmentId && !schoolScoped ? 'shipment' : 'devices');
  const [devices, setDevices] = useState<Device[]>([]);
  const [scan, setScan] = useState('');
  const [paste, setPaste] = useState('');
  const [lookupNotes, setLookupNotes] = useState<string[]>([]);
  const [schools, setSchools] = useState<Schemas['SchoolDto'][] | null>(null);
  const [shipments, setShipments] = useState<Schemas['ShipmentDto'][] | null>(null);
  const [schoolId, setSchoolId] = useState(initial.schoolId ?? '');
  const [shipmentId, setShipmentId] = useState(initial.shipmentId ?? '');
  const [template, setTemplate] = useState<TemplateName>('avery-5160');
  const [start, setStart] = useState(1);
  const [line, setLine] = useState(DEFAULT_LINE);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [printed, setPrinted] = useState<Printed | null>(null);
  const geometry = TEMPLATES[template];
  const slots = perPage(geometry);

  // Devices another page sent here by id.
  useEffect(() => {
    if (!initial.deviceIds) return;
    let live = true;
    void inBatches(initial.deviceIds, async (id) => (await api.GET('/api/v1/devices/{id}', { params: { path: { id } } })).data ?? null)
      .then((found) => {
        if (!live) return;
        setDevices(found.filter((d): d is Device => d !== null));
        const missing = found.filter((d) => d === null).length;
        if (missing) setLookupNotes([`${missing} of the devices this page was opened with could not be found.`]);
      })
      .catch(() => live && setProblem(UNREACHABLE));
    return () => {
      live = false;
    };
  }, [initial]);

  useEffect(() => {
    let live = true;
    if (mode === 'school' && schools === null)
      void api
        .GET('/api/v1/schools', { params: { query: { limit: 500 } } })
        .then(({ data }) => live && setSchools(data?.data ?? []))
        .catch(() => live && setSchools([]));
    if (mode === 'shipment' && shipments === null)
      void api
        .GET('/api/v1/shipments', { params: { query: { limit: 200 } } })
        .then(({ data }) => live && setShipments(data?.data ?? []))
        .catch(() => live && setShipments([]));
    return () => {
      live = false;
    };
  }, [mode, schools, shipments]);

  // A new PDF replaces the last; its blob is let go when it is no longer offered.
  useEffect(
    () => () => {
      if (printed) URL.revokeObjectURL(printed.url);
    },
    [printed],
  );
  useEffect(() => setStart((s) => Math.min(s, slots)), [slots]);

  /** Looks each tag up (GET /devices?assetTag=, any case) and adds the devices not in the list yet. */
  const addTags = async (tags: string[]) => {
    if (!tags.length) return;
    const found = await inBatches(tags, async (assetTag) => {
      const { data } = await api.GET('/api/v1/devices', { params: { query: { assetTag, limit: 10 } } });
      return { assetTag, devices: data?.data ?? [] };
    });
    const notes: string[] = [];
    setDevices((current) => {
      const seen = new Set(current.map((d) => d.id));
      const added: Device[] = [];
      for (const { assetTag, devices: matches } of found) {
        if (!matches.length) notes.push(`No device has the asset tag ${assetTag}.`);
        for (const device of matches) {
          if (seen.has(device.id)) notes.push(`${device.assetTag ?? assetTag} is already in the list.`);
          else {
            seen.add(device.id);
            added.push(device);
          }
        }
      }
      return [...current, ...added];
    });
    setLookupNotes(notes);
    const misses = found.filter((f) => !f.devices.length).length;
    announce(misses ? `${misses} asset tags not found.` : `${found.length === 1 ? found[0]!.assetTag : `${found.length} tags`} added.`);
  };

  // A USB scanner types the tag and presses Enter.
  const onScanKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const tags = tagsIn(scan);
    setScan('');
    void addTags(tags).catch(() => setProblem(UNREACHABLE));
  };

  const selection =
    mode === 'devices'
      ? devices.length
        ? { deviceIds: devices.map((d) => d.id) }
        : null
      : mode === 'school'
        ? schoolId
          ? { schoolId }
          : null
        : shipmentId
          ? { shipmentId }
          : null;

  const print = async (event: FormEvent) => {
    event.preventDefault();
    if (!selection) return;
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST('/api/v1/labels', {
        body: { ...selection, template, startPosition: start, line },
        parseAs: 'blob',
      });
      if (data) {
        const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'asset-labels.pdf';
        setPrinted({ url: URL.createObjectURL(data), filename, labels: mode === 'devices' ? devices.length : 0 });
        announce('The labels are ready: download or open the PDF.');
      } else setProblem(asProblem(error, response));
    } catch {
      setProblem(UNREACHABLE);
    } finally {
      setBusy(false);
    }
  };

  const tagsOnFirstSheet: (string | null)[] | 'unknown' =
    mode === 'devices' ? devices.slice(0, slots - (start - 1)).map((d) => d.assetTag) : selection ? 'unknown' : [];
  const more = mode === 'devices' ? Math.max(0, devices.length - (slots - (start - 1))) : 0;

  return (
    <>
      <h1>Print labels</h1>
      <p>Asset labels with the tag as a Code 128 barcode and a QR code, which the station scans back.</p>
      <form className="labels-form" onSubmit={(event) => void print(event)}>
        <fieldset>
          <legend>What to label</legend>
          <div className="choices">
            <label>
              <input type="radio" name="mode" checked={mode === 'devices'} onChange={() => setMode('devices')} /> Devices by asset tag
            </label>
            <label>
              <input type="radio" name="mode" checked={mode === 'school'} onChange={() => setMode('school')} /> A school's devices
            </label>
            {!schoolScoped && (
              <label>
                <input type="radio" name="mode" checked={mode === 'shipment'} onChange={() => setMode('shipment')} /> A shipment's devices
              </label>
            )}
          </div>

          {mode === 'devices' && (
            <div className="device-pick">
              <div className="field">
                <label htmlFor={`${ids}-scan`}>Scan or type an asset tag, then Enter</label>
                <input
                  id={`${ids}-scan`}
                  value={scan}
                  onChange={(e) => setScan(e.target.value)}
                  onKeyDown={onScanKey}
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
              <div className="field">
                <label htmlFor={`${ids}-paste`}>Or paste asset tags (one a line, or a spreadsheet column)</label>
                <textarea id={`${ids}-paste`} rows={3} value={paste} onChange={(e) => setPaste(e.target.value)} />
                <div>
                  <button
                    type="button"
                    className="secondary"
                    disabled={!paste.trim()}
                    onClick={() => {
                      const tags = tagsIn(paste);
                      setPaste('');
                      void addTags(tags).catch(() => setProblem(UNREACHABLE));
                    }}
                  >
                    Add these tags
                  </button>
                </div>
              </div>
              {lookupNotes.length > 0 && (
                <ul className="notes" aria-label="Tags not added">
                  {lookupNotes.map((note, i) => (
                    <li key={i}>{note}</li>
                  ))}
                </ul>
              )}
              {devices.length > 0 && (
                <div className="table-scroll">
                  <table className="data">
                    <caption>
                      {devices.length} {devices.length === 1 ? 'device' : 'devices'} to label, in this order
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Asset tag</th>
                        <th scope="col">Serial number</th>
                        <th scope="col">Model</th>
                        <th scope="col">
                          <span className="visually-hidden">Remove</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {devices.map((d) => (
                        <tr key={d.id}>
                          <td>{d.assetTag ?? <em>none: cannot be labelled</em>}</td>
                          <td>{d.serialNumber}</td>
                          <td>{d.model ?? ''}</td>
                          <td>
                            <button
                              type="button"
                              className="secondary small"
                              onClick={() => setDevices((current) => current.filter((c) => c.id !== d.id))}
                            >
                              Remove<span className="visually-hidden"> {d.assetTag ?? d.serialNumber}</span>
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          )}

          {mode === 'school' && (
            <div className="field">
              <label htmlFor={`${ids}-school`}>School</label>
              <select id={`${ids}-school`} value={schoolId} onChange={(e) => setSchoolId(e.target.value)}>
                <option value="">Choose a school</option>
                {(schools ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.code})
                  </option>
                ))}
              </select>
              <p className="hint">Every device of the school in circulation (not retired, lost or stolen), in asset tag order.</p>
            </div>
          )}

          {mode === 'shipment' && (
            <div className="field">
              <label htmlFor={`${ids}-shipment`}>Shipment</label>
              <select id={`${ids}-shipment`} value={shipmentId} onChange={(e) => setShipmentId(e.target.value)}>
                <option value="">Choose a shipment</option>
                {(shipments ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.reference ?? s.fundingSource}, shipped {s.shippedOn} ({s.itemCount} serials)
                  </option>
                ))}
              </select>
              <p className="hint">The delivered devices registered here, in serial number order.</p>
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>Label stock</legend>
          <div className="choices templates">
            {TEMPLATE_NAMES.map((name) => (
              <label key={name}>
                <input type="radio" name="template" checked={template === name} onChange={() => setTemplate(name)} />{' '}
                <strong>{TEMPLATES[name].label}</strong> <span className="hint">{TEMPLATES[name].description}</span>
              </label>
            ))}
          </div>
          {slots > 1 && (
            <div className="field">
              <label htmlFor={`${ids}-start`}>Start at position (1 to {slots}: left to right, then down)</label>
              <input
                id={`${ids}-start`}
                type="number"
                min={1}
                max={slots}
                value={start}
                onChange={(e) => setStart(Math.min(slots, Math.max(1, Number(e.target.value) || 1)))}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-line`}>Short line under the tag (empty for none)</label>
            <input id={`${ids}-line`} value={line} maxLength={MAX_LINE_LENGTH} onChange={(e) => setLine(e.target.value)} />
          </div>
        </fieldset>

        <section aria-labelledby={`${ids}-preview`} className="preview">
          <h2 id={`${ids}-preview`}>Preview</h2>
          {mode === 'devices' && devices.length > 0 && (
            <p>
              {devices.length} {devices.length === 1 ? 'label' : 'labels'} on {sheetsFor(geometry, devices.length, start)}{' '}
              {geometry.rows > 1 ? 'sheets' : 'labels'} of {geometry.label}.
            </p>
          )}
          <SheetPreview
            template={geometry}
            startPosition={start}
            tags={tagsOnFirstSheet}
            more={more}
            districtName={session.districtName ?? 'District name'}
            line={line}
          />
        </section>

        <button type="submit" disabled={busy || !selection}>
          {busy ? 'Making the PDF…' : 'Make the labels (PDF)'}
        </button>
        {problem && <ProblemMessage problem={problem} />}
        {printed && (
          <p className="printed">
            <a className="button-link" href={printed.url} download={printed.filename}>
              Download PDF
            </a>
            <a className="button-link" href={printed.url} target="_blank" rel="noopener">
              Open PDF<span className="visually-hidden"> (new tab)</span>
            </a>
          </p>
        )}
      </form>
    </>
  );
}

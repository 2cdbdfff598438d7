import { useCallback, useEffect, useRef, useState, type FocusEvent, type FormEvent, type KeyboardEvent } from 'react';
import { api, asProblem, idempotencyKey, type Schemas } from '../api/client';
import { useAnnounce } from '../shell/announcer';
import { beep, type Beep } from './beeps';
import { SignaturePad, type SignaturePadHandle } from './signature-pad';
import { collectRefusal, deviceLabel, issueRefusal, personLabel, personName, problemWords } from './station-words';
import './station.css';

type Student = Schemas['ScannedStudentDto'];
type Device = Schemas['ScannedDeviceDto'];
type Kit = Schemas['HeldKitDto'];
type Condition = 'working' | 'damaged' | 'broken';
type Mode = 'issue' | 'collect';
type Outcome = 'issued' | 'returned' | 'repair' | 'refused' | 'student' | 'undone';

interface Visit {
  student: Student;
  /** What they already held when their card was scanned. */
  holding: Schemas['HeldDeviceDto'][];
  /** Issued at this table in this visit: what the acknowledgement covers. */
  issued: { assignmentId: string; label: string }[];
  acknowledgedBy: string | null;
}

interface PendingReturn {
  device: Device;
  holder: NonNullable<Device['holder']>;
  /** The holder's kits still out, each with the items ticked as back (all, until someone unticks one). */
  kits: { kit: Kit; back: boolean; itemsBack: Record<string, boolean> }[];
}

interface LogEntry {
  id: number;
  outcome: Outcome;
  text: string;
}

interface Undo {
  label: string;
  /** Reverses the scan through the API; answers what to say, and which tally to take back. */
  run(): Promise<{ text: string; tally: 'issued' | 'returned' } | { refused: string }>;
}

const CONDITION_KEYS: Record<string, Condition> = { '1': 'working', '2': 'damaged', '3': 'broken' };
const CONDITION_LABELS: Record<Condition, string> = { working: 'Working', damaged: 'Damaged', broken: 'Broken: to repair' };

/**
 * The distribution and collection station, built for USB barcode scanners (they type the code and press
 * Enter): the scan field has focus and keeps it, every scan is answered at once by sight, sound and the
 * live region, and scans are handled strictly in the order they were made.
 */
export function StationPage() {
  const announce = useAnnounce();
  const scanField = useRef<HTMLInputElement>(null);
  const signature = useRef<SignaturePadHandle>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const nextId = useRef(1);

  const [mode, setMode] = useState<Mode>('issue');
  const [code, setCode] = useState('');
  const [visit, setVisit] = useState<Visit | null>(null);
  const [pending, setPending] = useState<PendingReturn | null>(null);
  const [tally, setTally] = useState({ issued: 0, returned: 0, refused: 0 });
  const [log, setLog] = useState<LogEntry[]>([]);
  const [undo, setUndo] = useState<Undo | null>(null);
  const [signer, setSigner] = useState('');
  const [nameQuery, setNameQuery] = useState('');
  const [nameMatches, setNameMatches] = useState<Schemas['StudentDto'][] | null>(null);

  // Scans read the latest state, not the state of the render that queued them.
  const visitRef = useRef(visit);
  visitRef.current = visit;
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const focusScan = useCallback(() => scanField.current?.focus(), []);
  useEffect(focusScan, [focusScan]);

  const say = useCallback(
    (outcome: Outcome, text: string) => {
      const sound: Record<Outcome, Beep | null> = {
        issued: 'issued',
        returned: 'returned',
        repair: 'returned',
        refused: 'refused',
        student: 'student',
        undone: null,
      };
      const tone = sound[outcome];
      if (tone) beep(tone);
      announce(text, outcome === 'refused' ? 'assertive' : 'polite');
      setLog((entries) => [{ id: nextId.current++, outcome, text }, ...entries].slice(0, 50));
    },
    [announce],
  );

  const refuse = useCallback(
    (text: string) => {
      setTally((t) => ({ ...t, refused: t.refused + 1 }));
      say('refused', text);
    },
    [say],
  );

  const startVisit = useCallback(
    async (student: Student) => {
      setPending(null);
      setSigner('');
      signature.current?.clear();
      setVisit({ student, holding: [], issued: [], acknowledgedBy: null });
      const withdrawn = student.enrollmentStatus === 'withdrawn' ? ' (withdrawn)' : '';
      say('student', `Student: ${personLabel(student)}${withdrawn}.`);
      const { data } = await api.GET('/api/v1/students/{id}/equipment', { params: { path: { id: student.id } } });
      if (data) setVisit((v) => (v && v.student.id === student.id ? { ...v, holding: data.devices } : v));
    },
    [say],
  );

  const issue = useCallback(
    async (device: Device, current: Visit) => {
      const label = deviceLabel(device);
      const reason = issueRefusal(device, current.student.id);
      if (reason) return refuse(reason);
      const { data, error, response } = await api.POST('/api/v1/assignments', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: { deviceId: device.id, studentId: current.student.id },
      });
      if (!data) return refuse(problemWords(asProblem(error, response), label));
      setTally((t) => ({ ...t, issued: t.issued + 1 }));
      setVisit((v) => (v && v.student.id === current.student.id ? { ...v, issued: [...v.issued, { assignmentId: data.id, label }] } : v));
      say('issued', `Issued ${label} to ${personName(current.student)}.`);
      setUndo({
        label: `issuing ${label} to ${personName(current.student)}`,
        run: async () => {
          const back = await api.POST('/api/v1/assignments/{id}/return', {
            params: { path: { id: data.id }, header: { 'Idempotency-Key': idempotencyKey() } },
            body: { condition: device.condition, note: 'Undone at the distribution station: issued by mistake.' },
          });
          if (!back.data) return { refused: problemWords(asProblem(back.error, back.response), label) };
          setVisit((v) => (v ? { ...v, issued: v.issued.filter((i) => i.assignmentId !== data.id) } : v));
          return { text: `Undone: ${label} is back in stock, not issued to ${personName(current.student)}.`, tally: 'issued' };
        },
      });
    },
    [refuse, say],
  );

  const prepareReturn = useCallback(
    async (device: Device) => {
      const reason = collectRefusal(device);
      if (reason || !device.holder) return refuse(reason ?? `${deviceLabel(device)} is not checked out.`);
      const holder = device.holder;
      const { data } = await api.GET('/api/v1/students/{id}/equipment', { params: { path: { id: holder.studentId } } });
      const kits = (data?.kits ?? [])
        .filter((kit) => kit.returnedAt === null)
        .map((kit) => ({ kit, back: true, itemsBack: Object.fromEntries(kit.items.map((i) => [i.item, true])) }));
      setPending({ device, holder, kits });
      beep('student');
      announce(
        `${deviceLabel(device)} from ${personLabel(holder)}. Condition: press 1 for working, 2 for damaged, 3 for broken.`,
        'polite',
      );
    },
    [announce, refuse],
  );

  const collect = useCallback(
    async (condition: Condition) => {
      const p = pendingRef.current;
      if (!p) return;
      setPending(null);
      const label = deviceLabel(p.device);
      const from = personName(p.holder);
      let undoRun: Undo['run'];
      if (condition === 'broken') {
        // Broken goes straight to repair intake, which ends the holder's assignment in the same transaction.
        const { data, error, response } = await api.POST('/api/v1/devices/{id}/repair-intake', {
          params: { path: { id: p.device.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { problem: 'broken', note: 'Collected broken at the distribution station.' },
        });
        if (!data) return refuse(problemWords(asProblem(error, response), label));
        say('repair', `Collected ${label} from ${from}: broken, taken in for repair.`);
        undoRun = async () => {
          const back = await api.POST('/api/v1/devices/{id}/repair-return', {
            params: { path: { id: p.device.id }, header: { 'Idempotency-Key': idempotencyKey() } },
            body: { returnTo: 'student' },
          });
          if (!back.data) return { refused: problemWords(asProblem(back.error, back.response), label) };
          return { text: `Undone: ${label} is out of repair and with ${from} again.`, tally: 'returned' };
        };
      } else {
        const { data, error, response } = await api.POST('/api/v1/assignments/{id}/return', {
          params: { path: { id: p.holder.assignmentId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { condition, note: 'Collected at the distribution station.' },
        });
        if (!data) return refuse(problemWords(asProblem(error, response), label));
        say('returned', `Returned ${label} from ${from}: ${condition}.`);
        undoRun = async () => {
          const again = await api.POST('/api/v1/assignments', {
            params: { header: { 'Idempotency-Key': idempotencyKey() } },
            body: { deviceId: p.device.id, studentId: p.holder.studentId, kind: p.holder.kind },
          });
          if (!again.data) return { refused: problemWords(asProblem(again.error, again.response), label) };
          return { text: `Undone: ${label} is with ${from} again.`, tally: 'returned' };
        };
      }
      setTally((t) => ({ ...t, returned: t.returned + 1 }));
      const kitNotes: string[] = [];
      for (const k of p.kits.filter((entry) => entry.back)) {
        const items = k.kit.items.filter((i) => k.itemsBack[i.item]);
        const { data, error, response } = await api.POST('/api/v1/kits/{id}/return', {
          params: { path: { id: k.kit.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { items },
        });
        if (!data) refuse(problemWords(asProblem(error, response), k.kit.templateName));
        else {
          const missing = data.missingItems.map((i) => i.item);
          const text = `${k.kit.templateName} returned${missing.length ? `, missing ${missing.join(', ')}` : ', complete'}.`;
          kitNotes.push(text);
          say('returned', text);
        }
      }
      setUndo({
        label: `collecting ${label} from ${from}${kitNotes.length ? ' (the kit return stays recorded)' : ''}`,
        run: undoRun,
      });
    },
    [refuse, say],
  );

  const handleScan = useCallback(
    async (scanned: string) => {
      const current = visitRef.current;
      if (pendingRef.current) {
        return refuse(`Choose the condition of ${deviceLabel(pendingRef.current.device)} first (1, 2 or 3), or press Escape.`);
      }
      const { data, error, response } = await api.GET('/api/v1/scan-lookup', {
        params: { query: { code: scanned, ...(current ? { districtId: current.student.districtId } : {}) } },
      });
      if (!data) return refuse(problemWords(asProblem(error, response), scanned));
      const matches = data.students.length + data.devices.length;
      if (matches === 0)
        return refuse(
          data.otherDistrict
            ? `${scanned} is another district's tag: it is not ours to issue or collect.`
            : `Nothing has the code ${scanned}.`,
        );
      if (matches > 1) return refuse(`${matches} records have the code ${scanned}: use the student's or the device's own page.`);
      const [student] = data.students;
      if (student) {
        if (modeRef.current === 'collect') setMode('issue');
        return startVisit(student);
      }
      const device = data.devices[0]!;
      if (modeRef.current === 'collect') return prepareReturn(device);
      if (!current) return refuse(`Scan a student card before ${deviceLabel(device)}.`);
      return issue(device, current);
    },
    [issue, prepareReturn, refuse, startVisit],
  );

  /** Runs scans and actions one after another, in the order they came. */
  const enqueue = useCallback(
    (work: () => Promise<void>) => {
      queue.current = queue.current.then(work).catch(() => refuse('The service could not be reached. Scan again.'));
    },
    [refuse],
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const scanned = code.trim();
    setCode('');
    if (scanned) enqueue(() => handleScan(scanned));
  };

  const runUndo = () => {
    const last = undo;
    if (!last) return;
    setUndo(null);
    enqueue(async () => {
      const result = await last.run();
      if ('refused' in result) return refuse(`Could not undo ${last.label}: ${result.refused}`);
      setTally((t) => ({ ...t, [result.tally]: t[result.tally] - 1 }));
      say('undone', result.text);
    });
    focusScan();
  };

  const onScanKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (code !== '') return;
    if (pending && CONDITION_KEYS[event.key]) {
      event.preventDefault();
      const condition = CONDITION_KEYS[event.key]!;
      enqueue(() => collect(condition));
    } else if (pending && event.key === 'Escape') {
      setPending(null);
      announce('Collection cancelled.');
    } else if (event.key === 'z' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runUndo();
    }
  };

  // Ticking a kit item moves focus into the panel: the condition keys still work there.
  const onPendingKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const condition = CONDITION_KEYS[event.key];
    if (!condition || event.target === scanField.current) return;
    event.preventDefault();
    enqueue(() => collect(condition));
    focusScan();
  };

  // The scan field keeps focus: a click on the page's background gives it back; a control keeps it.
  const onScanBlur = (event: FocusEvent<HTMLInputElement>) => {
    if (!event.relatedTarget) setTimeout(focusScan, 0);
  };

  const switchMode = (next: Mode) => {
    setMode(next);
    setPending(null);
    announce(next === 'issue' ? 'Distribution: scan a student card, then their devices.' : 'Collection: scan devices coming back.');
    focusScan();
  };

  const searchByName = async (event: FormEvent) => {
    event.preventDefault();
    const q = nameQuery.trim();
    if (q.length < 2) return;
    const { data } = await api.GET('/api/v1/students', { params: { query: { q, limit: 8 } } });
    setNameMatches(data?.data ?? []);
    announce(`${data?.data.length ?? 0} students match ${q}.`);
  };

  const pickStudent = (s: Schemas['StudentDto']) => {
    setNameMatches(null);
    setNameQuery('');
    if (mode === 'collect') setMode('issue');
    enqueue(() =>
      startVisit({
        id: s.id,
        districtId: s.districtId,
        schoolId: s.schoolId,
        sourcedId: s.sourcedId,
        identifier: s.identifier,
        givenName: s.givenName,
        familyName: s.familyName,
        grade: s.grade,
        enrollmentStatus: s.enrollmentStatus,
      }),
    );
    focusScan();
  };

  const acknowledge = (event: FormEvent) => {
    event.preventDefault();
    const current = visit;
    const name = signer.trim();
    if (!current || !name) return;
    const drawn = signature.current?.read() ?? undefined;
    enqueue(async () => {
      for (const item of current.issued) {
        const { data, error, response } = await api.POST('/api/v1/assignments/{id}/acknowledgement', {
          params: { path: { id: item.assignmentId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { signerName: name, ...(drawn ? { signature: drawn } : {}) },
        });
        if (!data) return refuse(problemWords(asProblem(error, response), item.label));
      }
      setVisit((v) => (v && v.student.id === current.student.id ? { ...v, acknowledgedBy: name } : v));
      announce(`Acknowledgement by ${name} recorded for ${current.issued.length} device(s).`);
    });
    focusScan();
  };

  const setKit = (kitId: string, change: (k: PendingReturn['kits'][number]) => PendingReturn['kits'][number]) =>
    setPending((p) => (p ? { ...p, kits: p.kits.map((k) => (k.kit.id === kitId ? change(k) : k)) } : p));

  const last = log[0];
  return (
    <div className={`station mode-${mode}`}>
      <div className="station-head">
        <h1>Distribution station</h1>
        <div role="group" aria-label="Mode" className="mode-switch">
          <button
            type="button"
            aria-pressed={mode === 'issue'}
            className={mode === 'issue' ? '' : 'secondary'}
            onClick={() => switchMode('issue')}
          >
            Distribute
          </button>
          <button
            type="button"
            aria-pressed={mode === 'collect'}
            className={mode === 'collect' ? '' : 'secondary'}
            onClick={() => switchMode('collect')}
          >
            Collect
          </button>
        </div>
      </div>

      <form className="scan-form" onSubmit={onSubmit}>
        <label htmlFor="scan">{mode === 'issue' ? 'Scan a student card, then each device' : 'Scan each device coming back'}</label>
        <input
          id="scan"
          ref={scanField}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          onKeyDown={onScanKey}
          onBlur={onScanBlur}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-describedby="scan-hint"
        />
        <button type="submit">Enter</button>
        <p id="scan-hint" className="hint">
          A scanner types the code and presses Enter. In collection, press 1, 2 or 3 for the condition. Ctrl+Z undoes the last scan.
        </p>
      </form>

      {last && (
        <div className={`result result-${last.outcome}`} aria-hidden="true">
          <span className="result-mark">{last.outcome === 'refused' ? '✕' : last.outcome === 'undone' ? '↶' : '✓'}</span>
          <span>{last.text}</span>
        </div>
      )}

      <div className="station-grid">
        <section aria-labelledby="student-heading" className="panel">
          <h2 id="student-heading">Student</h2>
          {visit ? (
            <>
              <p className="student-name">{personLabel(visit.student)}</p>
              <p>
                Grade {visit.student.grade ?? '—'} · {visit.student.enrollmentStatus}
              </p>
              {visit.holding.length > 0 && <p>Already holds: {visit.holding.map((d) => d.assetTag ?? d.serialNumber).join(', ')}</p>}
              {visit.issued.length > 0 && (
                <>
                  <h3>Issued now</h3>
                  <ul>
                    {visit.issued.map((i) => (
                      <li key={i.assignmentId}>{i.label}</li>
                    ))}
                  </ul>
                </>
              )}
              {visit.issued.length > 0 &&
                (visit.acknowledgedBy ? (
                  <p className="done">Acknowledged by {visit.acknowledgedBy}.</p>
                ) : (
                  <form className="acknowledgement" onSubmit={acknowledge} aria-labelledby="ack-heading">
                    <h3 id="ack-heading">Family acknowledgement</h3>
                    <label htmlFor="signer">Name of the adult receiving</label>
                    <input id="signer" value={signer} onChange={(event) => setSigner(event.target.value)} required autoComplete="off" />
                    <p id="signature-label">Signature (optional): draw in the box</p>
                    <SignaturePad ref={signature} labelId="signature-label" />
                    <div className="row">
                      <button type="button" className="secondary" onClick={() => signature.current?.clear()}>
                        Clear signature
                      </button>
                      <button type="submit">Record acknowledgement</button>
                    </div>
                  </form>
                ))}
            </>
          ) : (
            <p>No student yet: scan a card, or find one by name.</p>
          )}
          <form className="name-search" onSubmit={(event) => void searchByName(event)} role="search" aria-label="Find a student by name">
            <label htmlFor="student-name">Find a student by name</label>
            <div className="row">
              <input id="student-name" value={nameQuery} onChange={(event) => setNameQuery(event.target.value)} autoComplete="off" />
              <button type="submit" className="secondary">
                Find
              </button>
            </div>
          </form>
          {nameMatches && (
            <ul className="matches" aria-label="Students found">
              {nameMatches.length === 0 && <li>No student matches.</li>}
              {nameMatches.map((s) => (
                <li key={s.id}>
                  <button type="button" className="secondary" onClick={() => pickStudent(s)}>
                    {personLabel(s)} · grade {s.grade ?? '—'}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="session-heading" className="panel">
          <h2 id="session-heading">This session</h2>
          <dl className="tally">
            <div>
              <dt>Issued</dt>
              <dd data-testid="tally-issued">{tally.issued}</dd>
            </div>
            <div>
              <dt>Returned</dt>
              <dd data-testid="tally-returned">{tally.returned}</dd>
            </div>
            <div>
              <dt>Refused</dt>
              <dd data-testid="tally-refused">{tally.refused}</dd>
            </div>
          </dl>
          <button type="button" className="secondary" onClick={runUndo} disabled={!undo}>
            {undo ? `Undo ${undo.label}` : 'Nothing to undo'}
          </button>
          {pending && (
            <div className="pending" role="group" aria-labelledby="pending-heading" onKeyDown={onPendingKey}>
              <h3 id="pending-heading">
                {deviceLabel(pending.device)} from {personLabel(pending.holder)}
              </h3>
              <p>Condition (one key):</p>
              <div className="row">
                {(['working', 'damaged', 'broken'] as const).map((condition, i) => (
                  <button
                    key={condition}
                    type="button"
                    className={`condition condition-${condition}`}
                    onClick={() => enqueue(() => collect(condition))}
                  >
                    {i + 1} · {CONDITION_LABELS[condition]}
                  </button>
                ))}
              </div>
              {pending.kits.map((k) => (
                <fieldset key={k.kit.id}>
                  <legend>
                    <label>
                      <input
                        type="checkbox"
                        checked={k.back}
                        onChange={(event) => setKit(k.kit.id, (x) => ({ ...x, back: event.target.checked }))}
                      />{' '}
                      {k.kit.templateName} came back too
                    </label>
                  </legend>
                  {k.kit.items.map((item) => (
                    <label key={item.item} className="kit-item">
                      <input
                        type="checkbox"
                        disabled={!k.back}
                        checked={k.itemsBack[item.item] ?? false}
                        onChange={(event) =>
                          setKit(k.kit.id, (x) => ({ ...x, itemsBack: { ...x.itemsBack, [item.item]: event.target.checked } }))
                        }
                      />{' '}
                      {item.item} × {item.quantity} back
                    </label>
                  ))}
                </fieldset>
              ))}
            </div>
          )}
          <h3>Scans</h3>
          <ol className="scan-log" aria-label="Scans, latest first" tabIndex={0}>
            {log.map((entry) => (
              <li key={entry.id} className={`log-${entry.outcome}`}>
                {entry.text}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

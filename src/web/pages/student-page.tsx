import { useState } from 'react';
import { api, idempotencyKey, type Problem, type Schemas } from '../api/client';
import { Link } from '../router';
import { useSession } from '../session';
import { useAnnounce } from '../shell/announcer';
import { ActionDialog, Field, ScanField } from '../ui/action-dialog';
import { DeviceActions } from '../ui/device-actions';
import { day, deviceName, fullName, label, when } from '../ui/format';
import { describeProblem, outcome, ProblemMessage } from '../ui/problem';
import { useLoad } from '../ui/use-load';
import './records.css';

interface StudentView {
  student: Schemas['StudentDto'];
  equipment: Schemas['StudentEquipmentDto'];
  school: Schemas['SchoolDto'] | null;
}

async function loadStudent(id: string) {
  const [student, equipment] = await Promise.all([
    outcome(api.GET('/api/v1/students/{id}', { params: { path: { id } } })),
    outcome(api.GET('/api/v1/students/{id}/equipment', { params: { path: { id } } })),
  ]);
  if (student.problem) return student;
  if (equipment.problem) return equipment;
  const school = await outcome(api.GET('/api/v1/schools/{id}', { params: { path: { id: student.data.schoolId } } }));
  return { data: { student: student.data, equipment: equipment.data, school: school.data ?? null } satisfies StudentView };
}

/** /students/:id — who the student is, what they hold and held, their last login and open gap, their tickets. */
export function StudentPage({ id }: { id: string }) {
  const loaded = useLoad(() => loadStudent(id), [id]);
  if (loaded.problem)
    return (
      <>
        <h1>Student</h1>
        <ProblemMessage problem={loaded.problem} />
      </>
    );
  if (!loaded.data)
    return (
      <p aria-busy="true" className="loading-line">
        Loading the student…
      </p>
    );
  const { student, equipment, school } = loaded.data;
  const name = fullName(student);
  return (
    <div className="record" aria-busy={loaded.loading}>
      <h1>{name}</h1>
      <section aria-labelledby="who">
        <h2 id="who">Who they are</h2>
        <dl className="facts">
          <dt>Student ID</dt>
          <dd>{student.sourcedId}</dd>
          <dt>Student number</dt>
          <dd>{student.identifier ?? '—'}</dd>
          <dt>School</dt>
          <dd>{school ? school.name : '—'}</dd>
          <dt>Grade</dt>
          <dd>{student.grade ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{student.email ?? '—'}</dd>
          <dt>Enrollment</dt>
          <dd>
            <span className={`badge ${student.enrollmentStatus === 'active' ? 'ok' : 'warn'}`}>{label(student.enrollmentStatus)}</span>
          </dd>
          <dt>Learning model</dt>
          <dd>{label(student.learningModel)}</dd>
          <dt>Home internet</dt>
          <dd>{label(student.homeInternet)}</dd>
          <dt>Last login</dt>
          <dd>{when(equipment.student.lastLoginAt)}</dd>
          <dt>Login gap</dt>
          <dd>
            {equipment.openGap ? (
              <span className="badge bad">
                Open since {day(equipment.openGap.openedAsOf)} (last login then: {when(equipment.openGap.lastLoginAt)})
              </span>
            ) : (
              'None open'
            )}
          </dd>
        </dl>
      </section>

      <Holdings student={student} name={name} equipment={equipment} onChange={loaded.reload} />

      <section aria-labelledby="tickets">
        <h2 id="tickets">Open tickets</h2>
        {equipment.openTickets.length ? (
          <table>
            <caption className="visually-hidden">Open tickets of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Reasons</th>
                <th scope="col">Assignee</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {equipment.openTickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td>{label(ticket.type)}</td>
                  <td>{label(ticket.status)}</td>
                  <td>{ticket.priority}</td>
                  <td>{ticket.reasons.map(label).join(', ')}</td>
                  <td>{ticket.assignee ?? '—'}</td>
                  <td>{when(ticket.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No open tickets.</p>
        )}
      </section>

      <section aria-labelledby="history">
        <h2 id="history">Device history</h2>
        {equipment.history.length ? (
          <table>
            <caption className="visually-hidden">Every device {name} held, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Kind</th>
                <th scope="col">As</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Ended by</th>
                <th scope="col">Came back</th>
              </tr>
            </thead>
            <tbody>
              {equipment.history.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <DeviceLink id={entry.deviceId} text={entry.assetTag ?? 'Device'} />
                  </td>
                  <td>{label(entry.deviceKind)}</td>
                  <td>{label(entry.kind)}</td>
                  <td>{when(entry.startedAt)}</td>
                  <td>{entry.active ? 'Holds it now' : when(entry.endedAt)}</td>
                  <td>{label(entry.endReason)}</td>
                  <td>{label(entry.returnedCondition)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{name} has never held a device.</p>
        )}
      </section>
    </div>
  );
}

/** A device link for roles that may open the device page; its tag as text for the others (attendance). */
function DeviceLink({ id, text }: { id: string; text: string }) {
  const session = useSession();
  return session.can('readDevices') ? <Link to={`/devices/${id}`}>{text}</Link> : <>{text}</>;
}

function Holdings({
  student,
  name,
  equipment,
  onChange,
}: {
  student: Schemas['StudentDto'];
  name: string;
  equipment: Schemas['StudentEquipmentDto'];
  onChange: () => void;
}) {
  const session = useSession();
  const [issuing, setIssuing] = useState(false);
  const mayIssue = session.can('custody') && student.enrollmentStatus === 'active';
  return (
    <section aria-labelledby="holds">
      <div className="section-head">
        <h2 id="holds">What {name} holds</h2>
        {mayIssue && (
          <button type="button" onClick={() => setIssuing(true)}>
            Issue a device
          </button>
        )}
      </div>
      {issuing && (
        <IssueDialog
          student={student}
          name={name}
          onClose={() => setIssuing(false)}
          onDone={() => {
            setIssuing(false);
            onChange();
          }}
        />
      )}
      {equipment.devices.length ? (
        <table className="holdings">
          <caption className="visually-hidden">Devices {name} holds now</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Kind</th>
              <th scope="col">Model</th>
              <th scope="col">As</th>
              <th scope="col">Condition</th>
              <th scope="col">Since</th>
              <th scope="col">Acknowledged</th>
              {session.can('custody') && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {equipment.devices.map((device) => (
              <tr key={device.assignmentId}>
                <td>
                  <DeviceLink id={device.deviceId} text={deviceName(device)} />
                </td>
                <td>{label(device.kind)}</td>
                <td>{device.model ?? '—'}</td>
                <td>{device.assignmentKind === 'loaner' ? <span className="badge warn">Loaner</span> : 'Primary'}</td>
                <td>{label(device.condition)}</td>
                <td>{when(device.since)}</td>
                <td>{device.acknowledgement ? `${device.acknowledgement.signerName}, ${when(device.acknowledgement.signedAt)}` : 'No'}</td>
                {session.can('custody') && (
                  <td>
                    <DeviceActions
                      device={{
                        id: device.deviceId,
                        districtId: student.districtId,
                        assetTag: device.assetTag,
                        serialNumber: device.serialNumber,
                        status: device.status,
                      }}
                      holder={{ assignmentId: device.assignmentId, studentId: student.id, name }}
                      onDone={onChange}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No devices.</p>
      )}
      <h3>Kits</h3>
      {equipment.kits.length ? (
        <ul className="kits">
          {equipment.kits.map((kit) => (
            <li key={kit.id}>
              <strong>{kit.templateName}</strong>: {kit.items.map((item) => `${item.quantity} × ${item.item}`).join(', ')}; issued{' '}
              {when(kit.issuedAt)}
              {kit.returnedAt && (
                <span className="badge warn">
                  Returned {when(kit.returnedAt)}, missing {kit.missingItems.map((item) => `${item.quantity} × ${item.item}`).join(', ')}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>No kits.</p>
      )}
    </section>
  );
}

/** Issue by asset tag: scan the label and press Enter. */
function IssueDialog({
  student,
  name,
  onClose,
  onDone,
}: {
  student: Schemas['StudentDto'];
  name: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const announce = useAnnounce();
  const [assetTag, setAssetTag] = useState('');
  const [kind, setKind] = useState<'primary' | 'loaner'>('primary');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = () => {
    setBusy(true);
    setProblem(null);
    void outcome(
      api.POST('/api/v1/assignments', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: { assetTag: assetTag.trim(), studentId: student.id, districtId: student.districtId, kind },
      }),
    ).then((result) => {
      setBusy(false);
      if (result.problem) {
        setProblem(result.problem);
        announce(describeProblem(result.problem), 'assertive');
        return;
      }
      announce(`${assetTag.trim()} issued to ${name}.`);
      onDone();
    });
  };
  return (
    <ActionDialog
      title={`Issue a device to ${name}`}
      submitLabel="Issue"
      busy={busy}
      problem={problem}
      onCancel={onClose}
      onSubmit={submit}
    >
      <ScanField label="Asset tag" hint="Scan the device's label, or type its tag." value={assetTag} onChange={setAssetTag} />
      <Field label="Issued as">
        {(id) => (
          <select id={id} value={kind} onChange={(event) => setKind(event.target.value === 'loaner' ? 'loaner' : 'primary')}>
            <option value="primary">Their own device (primary)</option>
            <option value="loaner">A loaner</option>
          </select>
        )}
      </Field>
    </ActionDialog>
  );
}

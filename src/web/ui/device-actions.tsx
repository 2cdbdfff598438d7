import { useState } from 'react';
import { api, idempotencyKey, type Problem, type Schemas } from '../api/client';
import { useSession } from '../session';
import { useAnnounce } from '../shell/announcer';
import { ActionDialog, Choice, Field, ScanField } from './action-dialog';
import { deviceName, label } from './format';
import { describeProblem, outcome, type Outcome } from './problem';

/** The device an action is about, as both pages know it. */
export interface ActionDevice {
  id: string;
  districtId: string;
  assetTag: string | null;
  serialNumber: string;
  status: Schemas['DeviceDto']['status'];
}

/** Who holds it now, if anyone. */
export interface Holder {
  assignmentId: string;
  studentId: string;
  name: string;
}

type Action = 'return' | 'swap' | 'repair' | 'loss' | 'issue' | 'repairReturn' | 'retire';
type Condition = Schemas['ReturnAssignmentDto']['condition'];

const CONDITIONS = [
  { value: 'working', label: 'Working' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'broken', label: 'Broken' },
] as const;

const key = () => ({ header: { 'Idempotency-Key': idempotencyKey() } });

/** The actions the device's state allows, for a role that may take custody actions at all. */
function actionsFor(device: ActionDevice, holder: Holder | null, withRetire: boolean): Action[] {
  const actions: Action[] = [];
  if (holder) actions.push('return', 'swap', 'repair', 'loss');
  else if (device.status === 'in_stock') actions.push('issue', 'repair', 'loss');
  else if (device.status === 'in_repair') actions.push('repairReturn');
  if (withRetire && device.status !== 'retired') actions.push('retire');
  return actions;
}

const BUTTONS: Record<Action, string> = {
  return: 'Return',
  swap: 'Swap',
  repair: 'Repair intake',
  loss: 'Report loss',
  issue: 'Issue to a student',
  repairReturn: 'Repair done',
  retire: 'Retire',
};

/**
 * Issue, return, swap, repair intake (with a loaner), report loss and retire, each through its API
 * route. A role that may not take custody actions is offered none; a refusal is shown in the API's words.
 */
export function DeviceActions({
  device,
  holder,
  withRetire = false,
  onDone,
}: {
  device: ActionDevice;
  holder: Holder | null;
  withRetire?: boolean;
  onDone: () => void;
}) {
  const session = useSession();
  const [open, setOpen] = useState<Action | null>(null);
  if (!session.can('custody')) return null;
  const actions = actionsFor(device, holder, withRetire);
  if (!actions.length) return null;
  const name = deviceName(device);
  return (
    <div className="actions" role="group" aria-label={`Actions for ${name}`}>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'retire' ? 'secondary danger' : 'secondary'}
          onClick={() => setOpen(action)}
        >
          {BUTTONS[action]}
          <span className="visually-hidden"> {name}</span>
        </button>
      ))}
      {open && (
        <ActionForm
          action={open}
          device={device}
          holder={holder}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onDone();
          }}
        />
      )}
    </div>
  );
}

/** Finds the one student a typed or scanned value names: an exact id first, else the only match. */
async function findStudent(text: string): Promise<Outcome<{ id: string; name: string }>> {
  const found = await outcome(api.GET('/api/v1/search', { params: { query: { q: text, limit: 5 } } }));
  if (found.problem) return found;
  const exact = found.data.students.filter((student) => student.exact);
  const pick = exact.length === 1 ? exact[0] : found.data.students.length === 1 ? found.data.students[0] : undefined;
  if (!pick) {
    const detail = found.data.students.length
      ? `${found.data.students.length} students match "${text}". Scan their ID card or type their student number.`
      : `No student matches "${text}".`;
    return { problem: { status: 0, code: 'student_not_found', detail } };
  }
  return { data: { id: pick.id, name: `${pick.givenName} ${pick.familyName}` } };
}

function ActionForm({
  action,
  device,
  holder,
  onClose,
  onDone,
}: {
  action: Action;
  device: ActionDevice;
  holder: Holder | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [condition, setCondition] = useState<Condition>('working');
  const [note, setNote] = useState('');
  const [assetTag, setAssetTag] = useState('');
  const [student, setStudent] = useState('');
  const [repairProblem, setRepairProblem] = useState<'broken' | 'damaged'>('broken');
  const [issueLoaner, setIssueLoaner] = useState(holder !== null);
  const [lossKind, setLossKind] = useState<'lost' | 'stolen'>('lost');
  const [policeReport, setPoliceReport] = useState('');
  const [returnTo, setReturnTo] = useState<'stock' | 'student'>('student');
  const name = deviceName(device);
  const path = { path: { id: device.id } };
  const optional = (text: string) => (text.trim() ? text.trim() : undefined);

  /** Runs the action's calls; the first refusal stops it and is shown in the dialog. */
  const run = async (steps: () => Promise<string | Problem>) => {
    setBusy(true);
    setProblem(null);
    const result = await steps();
    setBusy(false);
    if (typeof result === 'string') {
      announce(result);
      onDone();
    } else {
      setProblem(result);
      announce(describeProblem(result), 'assertive');
    }
  };

  const returnHeld = async (held: Holder): Promise<Problem | null> => {
    const returned = await outcome(
      api.POST('/api/v1/assignments/{id}/return', {
        params: { path: { id: held.assignmentId }, ...key() },
        body: { condition, note: optional(note) },
      }),
    );
    return returned.problem ?? null;
  };

  const submit = () =>
    void run(async () => {
      switch (action) {
        case 'return': {
          const refused = await returnHeld(holder!);
          return refused ?? `${name} returned from ${holder!.name} (${label(condition).toLowerCase()}).`;
        }
        case 'swap': {
          // The new device first: if it is refused, the student still has the old one and nothing changed.
          const issued = await outcome(
            api.POST('/api/v1/assignments', {
              params: key(),
              body: { assetTag: assetTag.trim(), studentId: holder!.studentId, districtId: device.districtId, kind: 'primary' },
            }),
          );
          if (issued.problem) return issued.problem;
          const refused = await returnHeld(holder!);
          if (refused)
            return { ...refused, detail: `${assetTag.trim()} was issued, but ${name} could not be returned: ${describeProblem(refused)}` };
          return `${name} swapped for ${assetTag.trim()} with ${holder!.name}.`;
        }
        case 'repair': {
          const taken = await outcome(
            api.POST('/api/v1/devices/{id}/repair-intake', {
              params: { ...path, ...key() },
              body: { problem: repairProblem, note: optional(note), issueLoaner: holder !== null && issueLoaner },
            }),
          );
          if (taken.problem) return taken.problem;
          return `${name} taken in for repair${taken.data.loanerAssignment ? `; a loaner was issued to ${holder!.name}` : ''}.`;
        }
        case 'loss': {
          const reported = await outcome(
            api.POST('/api/v1/devices/{id}/report-loss', {
              params: { ...path, ...key() },
              body: { kind: lossKind, policeReportNumber: optional(policeReport) },
            }),
          );
          return reported.problem ?? `${name} reported ${lossKind}.`;
        }
        case 'issue': {
          const found = await findStudent(student.trim());
          if (found.problem) return found.problem;
          const issued = await outcome(
            api.POST('/api/v1/assignments', { params: key(), body: { deviceId: device.id, studentId: found.data.id, kind: 'primary' } }),
          );
          return issued.problem ?? `${name} issued to ${found.data.name}.`;
        }
        case 'repairReturn': {
          const back = await outcome(api.POST('/api/v1/devices/{id}/repair-return', { params: { ...path, ...key() }, body: { returnTo } }));
          return back.problem ?? `${name} is back from repair (${returnTo === 'stock' ? 'in stock' : 'with its student'}).`;
        }
        case 'retire': {
          const retired = await outcome(
            api.POST('/api/v1/devices/{id}/retire', { params: { ...path, ...key() }, body: { note: optional(note) } }),
          );
          return retired.problem ?? `${name} retired.`;
        }
      }
    });

  const noteField = (
    <Field label="Note (optional)">
      {(id) => <textarea id={id} rows={2} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />}
    </Field>
  );
  const conditionChoice = (legend: string) => (
    <Choice legend={legend} name="condition" options={CONDITIONS} value={condition} onChange={setCondition} />
  );
  const common = { busy, problem, onCancel: onClose, onSubmit: submit };

  switch (action) {
    case 'return':
      return (
        <ActionDialog title={`Return ${name} from ${holder!.name}`} submitLabel="Return" {...common}>
          {conditionChoice('Condition')}
          {noteField}
        </ActionDialog>
      );
    case 'swap':
      return (
        <ActionDialog title={`Swap ${name} for another device`} submitLabel="Swap" {...common}>
          <ScanField
            label="New device's asset tag"
            hint="Scan or type the tag of the device to give instead."
            value={assetTag}
            onChange={setAssetTag}
          />
          {conditionChoice(`Condition of ${name}`)}
          {noteField}
        </ActionDialog>
      );
    case 'repair':
      return (
        <ActionDialog title={`Repair intake for ${name}`} submitLabel="Take in for repair" {...common}>
          <Choice
            legend="Problem"
            name="problem"
            options={[
              { value: 'broken', label: 'Broken' },
              { value: 'damaged', label: 'Damaged' },
            ]}
            value={repairProblem}
            onChange={setRepairProblem}
          />
          {holder && (
            <label className="check">
              <input type="checkbox" checked={issueLoaner} onChange={(event) => setIssueLoaner(event.target.checked)} /> Lend {holder.name}{' '}
              a loaner from the school&apos;s stock
            </label>
          )}
          {noteField}
        </ActionDialog>
      );
    case 'loss':
      return (
        <ActionDialog title={`Report ${name} lost or stolen`} submitLabel="Report" {...common}>
          <Choice
            legend="What happened"
            name="loss"
            options={[
              { value: 'lost', label: 'Lost' },
              { value: 'stolen', label: 'Stolen' },
            ]}
            value={lossKind}
            onChange={setLossKind}
          />
          <Field label="Police report number (optional)">
            {(id) => <input id={id} maxLength={100} value={policeReport} onChange={(event) => setPoliceReport(event.target.value)} />}
          </Field>
        </ActionDialog>
      );
    case 'issue':
      return (
        <ActionDialog title={`Issue ${name} to a student`} submitLabel="Issue" {...common}>
          <ScanField
            label="Student"
            hint="Scan their ID card, or type their student number or name."
            value={student}
            onChange={setStudent}
          />
        </ActionDialog>
      );
    case 'repairReturn':
      return (
        <ActionDialog title={`${name} is repaired`} submitLabel="Close the repair" {...common}>
          <Choice
            legend="Where it goes"
            name="returnTo"
            options={[
              { value: 'student', label: 'Back to the student it came from' },
              { value: 'stock', label: 'Into stock' },
            ]}
            value={returnTo}
            onChange={setReturnTo}
          />
        </ActionDialog>
      );
    case 'retire':
      return (
        <ActionDialog title={`Retire ${name} for good`} submitLabel="Retire" {...common}>
          <p>A retired device can never be issued again. {holder ? `${holder.name}'s assignment ends.` : ''}</p>
          {noteField}
        </ActionDialog>
      );
  }
}

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import type { Problem } from '../api/client';
import { ProblemMessage } from './problem';

/**
 * One action's form in a modal dialog: the browser's own <dialog> keeps focus inside, Escape cancels,
 * and focus goes back to the button that opened it. Enter in a field submits, so a scanner's Enter works.
 */
export function ActionDialog({
  title,
  submitLabel,
  busy,
  problem,
  onCancel,
  onSubmit,
  children,
}: {
  title: string;
  submitLabel: string;
  busy: boolean;
  problem: Problem | null;
  onCancel: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <dialog
      ref={dialog}
      className="action-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit} aria-busy={busy}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <ProblemMessage problem={problem} />
        <div className="dialog-buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Working…' : submitLabel}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A labelled field of a dialog; the first one gets focus when the dialog opens. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, hintId?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children(id, hintId)}
    </div>
  );
}

/** A required text field a barcode scanner types into (a tag, a student card): no autocomplete to cover it. */
export function ScanField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, hintId) => (
        <input
          id={id}
          aria-describedby={hintId}
          required
          autoComplete="off"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A list filter's drop-down: "any" first (the empty value), then each choice as `[value, words]`. */
export function FilterSelect({ label, name, any, choices }: { label: string; name: string; any: string; choices: [string, string][] }) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} name={name}>
          <option value="">{any}</option>
          {choices.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Radio buttons for a short enum (a condition, lost or stolen): one tap each on a tablet. */
export function Choice<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />{' '}
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

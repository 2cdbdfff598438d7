import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, type Schemas } from '../api/client';
import { useLocation } from '../router';
import { deviceName, label } from '../ui/format';
import { outcome } from '../ui/problem';
import { useAnnounce } from './announcer';

/** Time after the last keystroke before the list of matches is asked for; a scanner's Enter does not wait. */
const TYPING_PAUSE_MS = 200;
const HITS = 6;

type Result = Schemas['SearchResultDto'];
interface Option {
  key: string;
  to: string;
  kind: 'Student' | 'Device';
  title: string;
  detail: string;
  exact: boolean;
}

function optionsOf(result: Result): Option[] {
  return [
    ...result.students.map((student) => ({
      key: `s-${student.id}`,
      to: `/students/${student.id}`,
      kind: 'Student' as const,
      title: `${student.givenName} ${student.familyName}`,
      detail: [
        student.identifier ?? student.sourcedId,
        student.grade && `grade ${student.grade}`,
        student.enrollmentStatus === 'withdrawn' && 'withdrawn',
      ]
        .filter(Boolean)
        .join(' · '),
      exact: student.exact,
    })),
    ...result.devices.map((device) => ({
      key: `d-${device.id}`,
      to: `/devices/${device.id}`,
      kind: 'Device' as const,
      title: deviceName(device),
      detail: [label(device.kind), device.model, label(device.status)].filter(Boolean).join(' · '),
      exact: device.exact,
    })),
  ];
}

/** The record a scan or an Enter means: the one exact id match, else the only match. */
function single(options: Option[]): Option | undefined {
  const exact = options.filter((option) => option.exact);
  if (exact.length === 1) return exact[0];
  return options.length === 1 ? options[0] : undefined;
}

/**
 * The header's search (a combobox, WAI-ARIA 1.2): students and devices by name, id, email, asset tag or
 * serial in one request to GET /api/v1/search. A USB scanner types the code and presses Enter: that goes
 * straight to the one record it names. Otherwise the matches are listed; arrows move, Enter opens.
 */
export function SearchSlot() {
  const { navigate } = useLocation();
  const announce = useAnnounce();
  const listId = useId();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searched, setSearched] = useState('');
  /** Only the answer to the latest request counts; typing on makes earlier ones stale. */
  const latest = useRef(0);

  const search = async (query: string): Promise<Option[] | null> => {
    const ticket = ++latest.current;
    const found = await outcome(api.GET('/api/v1/search', { params: { query: { q: query, limit: HITS } } }));
    if (ticket !== latest.current) return null;
    const next = found.data ? optionsOf(found.data) : [];
    setOptions(next);
    setSearched(query);
    setActive(-1);
    if (found.problem) announce(found.problem.detail ?? 'The search failed.', 'assertive');
    return next;
  };

  useEffect(() => {
    const query = text.trim();
    if (!query) {
      latest.current++;
      setOptions([]);
      setOpen(false);
      return;
    }
    const timer = setTimeout(() => {
      void search(query).then((found) => {
        if (found) setOpen(true);
      });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // Only the text drives it: `search` is a new function every render.
  }, [text]);

  const go = (option: Option) => {
    latest.current++;
    setText('');
    setOptions([]);
    setOpen(false);
    announce(`Opening ${option.kind.toLowerCase()} ${option.title}`);
    navigate(option.to);
  };

  const onKeyDown = async (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!options.length) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const query = text.trim();
      if (!query) return;
      if (open && active >= 0 && options[active]) return go(options[active]);
      // A scan arrives faster than the typing pause: ask now rather than use a list for other text.
      const found = searched === query ? options : await search(query);
      if (!found) return;
      const target = single(found);
      if (target) return go(target);
      setOpen(true);
      announce(found.length ? `${found.length} matches; use the arrow keys to choose.` : `Nothing matches ${query}.`);
    }
  };

  const activeOption = open && active >= 0 ? options[active] : undefined;
  return (
    <form role="search" className="search" aria-label="Search students and devices" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="global-search" className="visually-hidden">
        Search students and devices
      </label>
      <input
        id="global-search"
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search or scan: name, ID, email, asset tag, serial"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeOption ? `${listId}-${activeOption.key}` : undefined}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => void onKeyDown(event)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => options.length && setOpen(true)}
      />
      <ul id={listId} role="listbox" aria-label="Matches" className="search-results" hidden={!open}>
        {open && !options.length && (
          <li role="option" aria-selected={false} aria-disabled="true" className="empty">
            Nothing matches.
          </li>
        )}
        {options.map((option, index) => (
          <li
            key={option.key}
            id={`${listId}-${option.key}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => go(option)}
          >
            <span className={`kind kind-${option.kind.toLowerCase()}`}>{option.kind}</span> <span className="title">{option.title}</span>{' '}
            <span className="detail">{option.detail}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}

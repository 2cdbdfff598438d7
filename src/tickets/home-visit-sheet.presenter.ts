import PDFDocument from 'pdfkit';
import type { HomeVisitSchool, HomeVisitTicket } from './tickets.repository.js';

/** What one page may list before it says how many more there are: a sheet is one page per student. */
const MAX_GUARDIANS = 6;
const MAX_DEVICES = 5;
const MAX_NOTE = 140;
const MARGIN = 50;
/** Kept free for "This visit" (its fields, outcome boxes and at least five ruled note lines): attempts give way first. */
const VISIT_ROOM = 245;
const NOTE_PITCH = 22;

const CHANNELS: Record<string, string> = { call: 'Call', email: 'Email', text: 'Text', home_visit: 'Home visit' };
const OUTCOMES: Record<string, string> = {
  reached: 'reached',
  no_answer: 'no answer',
  left_message: 'left a message',
  wrong_contact: 'wrong contact',
  visited: 'visited',
  not_home: 'not home',
  other: 'other',
};
const KINDS: Record<string, string> = { chromebook: 'Chromebook', hotspot: 'Hotspot', laptop: 'Laptop', other: 'Device' };
const words = (code: string): string => code.replace(/_/g, ' ');

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The home-visit sheet of a school's open outreach tickets as a printable PDF (US Letter): one student
 * a page, in family-name order, with what the visitor needs (who, where they study, the family's contacts
 * and language, why the visit, what else is open, the devices, the attempts so far) and the visit's own
 * fields, outcome boxes and ruled lines for notes. Every entry is held to one or two lines (long names,
 * emails and notes end in "…") and the attempts give way to the visit's space, so a page never spills
 * onto a second. A school with no open outreach ticket gets one page saying so. Standard PDF fonts:
 * names outside Windows-1252 (Latin scripts) do not print correctly.
 */
export function homeVisitSheetPdf(school: HomeVisitSchool, tickets: HomeVisitTicket[], now: Date): Promise<Buffer> {
  const day = new Intl.DateTimeFormat('en-US', { timeZone: school.timeZone, dateStyle: 'medium' });
  const moment = new Intl.DateTimeFormat('en-US', { timeZone: school.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    autoFirstPage: false,
    info: { Title: `Home-visit sheet, ${school.name}`, Creator: 'Reconnect' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = (): number => doc.page.width - 2 * MARGIN;
  const right = (): number => doc.page.width - MARGIN;
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;
  /** Text held to `lines` lines, the rest cut with "…". */
  const line = (text: string, lines = 2): void => {
    doc.text(text, MARGIN, doc.y, { width: width(), height: lines * doc.currentLineHeight(true), ellipsis: true });
  };
  const heightOf = (text: string, lines = 2): number =>
    Math.min(doc.heightOfString(text, { width: width() }), lines * doc.currentLineHeight(true));
  const heading = (text: string): void => {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11);
    line(text, 1);
    doc.font('Helvetica').fontSize(10).moveDown(0.2);
  };
  /** A label and a ruled blank after it, across `share` of the line from `x`; returns where the next may start. */
  const blank = (label: string, x: number, share: number, y: number): number => {
    const end = x + share * width();
    doc.text(label, x, y, { lineBreak: false });
    const from = label ? x + doc.widthOfString(label) + 4 : x;
    doc
      .lineWidth(0.5)
      .strokeColor('#555555')
      .moveTo(from, y + 10)
      .lineTo(end >= right() - 1 ? right() : end - 10, y + 10)
      .stroke()
      .strokeColor('black');
    return end;
  };
  const blanks = (fields: [string, number][]): void => {
    const y = doc.y;
    let x = MARGIN;
    for (const [label, share] of fields) x = blank(label, x, share, y);
    doc.x = MARGIN;
    doc.y = y + 20;
  };
  /** Tick boxes drawn as squares (the standard fonts have no ballot box), wrapping at the margin. */
  const boxes = (label: string, options: string[]): void => {
    let y = doc.y;
    doc.text(label, MARGIN, y, { lineBreak: false });
    let x = MARGIN + doc.widthOfString(label) + 10;
    for (const option of options) {
      const w = 14 + doc.widthOfString(option);
      if (x + w > right()) [x, y] = [MARGIN + 20, y + 18];
      doc.lineWidth(0.8).rect(x, y, 9, 9).stroke();
      doc.text(option, x + 14, y, { lineBreak: false });
      x += w + 16;
    }
    doc.x = MARGIN;
    doc.y = y + 20;
  };
  const footer = (sheet: string): void => {
    // Written inside the bottom margin, where pdfkit would otherwise start a new page; one line, cut if long.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#444444');
    doc.text(
      `${sheet}  ·  printed ${moment.format(now)}  ·  Confidential student record (FERPA): do not leave at the door.  ·  ${school.name}`,
      MARGIN,
      doc.page.height - MARGIN + 15,
      { width: width(), height: doc.currentLineHeight(true), ellipsis: true },
    );
    doc.fillColor('black');
    doc.page.margins.bottom = margin;
  };

  if (!tickets.length) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(16);
    line(`Home visits: ${school.name} (${school.code})`);
    doc.moveDown().font('Helvetica').fontSize(11).text('No open outreach tickets at this school.');
    footer('No sheets');
  }
  tickets.forEach((t, index) => {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(16);
    line(`${t.givenName} ${t.familyName}`);
    doc.font('Helvetica').fontSize(10);
    line(
      `${school.name} (${school.code}), ${school.districtName}  ·  Grade ${t.grade ?? 'not recorded'}  ·  Student ID ${t.identifier ?? t.sourcedId}`,
    );
    doc.fontSize(8).fillColor('#444444');
    line(`Outreach ticket ${t.id}, opened ${day.format(t.openedAt)}, ${words(t.status)}; assigned to ${t.assignee ?? 'nobody'}`);
    doc.fillColor('black').fontSize(10);

    heading('Why this visit');
    if (t.lastLoginAt) {
      const days = Math.floor((now.getTime() - new Date(t.lastLoginAt).getTime()) / 86_400_000);
      line(`Last successful login: ${moment.format(new Date(t.lastLoginAt))} (${days} ${days === 1 ? 'day' : 'days'} ago)`, 1);
    } else line('Last successful login: never seen', 1);
    if (t.gapOpenedAsOf) line(`In a login gap since the scan of ${day.format(new Date(`${t.gapOpenedAsOf}T12:00:00Z`))}`, 1);
    if (t.reasons.length) line(`Noted on the ticket: ${t.reasons.map(words).join(', ')}`);
    const others = t.otherOpen.map((o) => `${words(o.type)}${o.reasons.length ? ` (${o.reasons.map(words).join(', ')})` : ''}`);
    line(others.length ? `Also open for this student: ${others.join('; ')}` : 'No other open ticket for this student.');

    heading('Family and contacts');
    line(`Home language: ${t.homeLanguage ?? 'not known'}`, 1);
    // The roster has no addresses: room to write it, on two lines.
    blanks([['Address (not in the roster):', 1]]);
    blanks([['', 1]]);
    if (t.guardians.length) {
      for (const g of t.guardians.slice(0, MAX_GUARDIANS)) {
        const ways = [g.phone && `phone ${g.phone}`, g.sms && `text ${g.sms}`, g.email && `email ${g.email}`].filter(Boolean);
        line(`${g.givenName} ${g.familyName} (${g.relation}): ${ways.length ? ways.join(', ') : 'no contact details'}`);
      }
      if (t.guardians.length > MAX_GUARDIANS) line(`and ${t.guardians.length - MAX_GUARDIANS} more (see the ticket)`, 1);
    } else line('No family contacts in the roster.', 1);
    if (t.email) line(`Student email: ${t.email}`, 1);

    heading('Devices held');
    for (const d of t.devices.slice(0, MAX_DEVICES)) {
      line(
        `${KINDS[d.kind] ?? d.kind}: asset tag ${d.assetTag ?? 'none'}, serial ${d.serialNumber}, since ${day.format(new Date(d.since))} (${words(d.status)})`,
        1,
      );
    }
    if (t.devices.length > MAX_DEVICES) line(`and ${t.devices.length - MAX_DEVICES} more`, 1);
    if (!t.devices.length) line('None on record.', 1);

    heading('Attempts so far');
    // The latest that fit above the visit's space, in order; the rest are counted.
    const texts = t.attempts.map((a) => {
      const note = a.note ? `: ${clip(a.note.replace(/\s+/g, ' '), MAX_NOTE)}` : '';
      return `${moment.format(new Date(a.attemptedAt))}  ${CHANNELS[a.channel] ?? a.channel}, ${OUTCOMES[a.outcome] ?? a.outcome}${note}`;
    });
    // One line is kept for the count of those left out.
    let room = bottom() - VISIT_ROOM - doc.y - doc.currentLineHeight(true);
    const fitting: string[] = [];
    for (const text of [...texts].reverse()) {
      if (heightOf(text) > room) break;
      room -= heightOf(text);
      fitting.unshift(text);
    }
    const left = texts.length - fitting.length;
    if (left) line(`${left} earlier ${left === 1 ? 'attempt' : 'attempts'} not shown (see the ticket)`, 1);
    for (const text of fitting) line(text);
    if (!t.attempts.length) line('None logged yet.', 1);

    heading('This visit');
    blanks([
      ['Date', 0.3],
      ['Time', 0.2],
      ['Visited by', 0.5],
    ]);
    blanks([['Spoke with', 1]]);
    boxes('Outcome:', ['family seen', 'not home', 'moved / wrong address', 'other']);
    boxes('Follow-up:', ['device', 'hotspot / internet', 'call back', 'none']);
    doc.text('Notes:', MARGIN, doc.y);
    // Ruled lines for the notes, down to the bottom margin.
    doc.lineWidth(0.5).strokeColor('#888888');
    for (let y = doc.y + NOTE_PITCH - 6; y < bottom(); y += NOTE_PITCH) doc.moveTo(MARGIN, y).lineTo(right(), y).stroke();
    doc.strokeColor('black');
    footer(`Sheet ${index + 1} of ${tickets.length}`);
  });
  doc.end();
  return done;
}

import PDFDocument from 'pdfkit';
import type { HomeVisitSchool, HomeVisitTicket } from './tickets.repository.js';

/** What one page may list before it says how many more there are: a sheet is one page per student. */
const MAX_GUARDIANS = 6;
const MAX_DEVICES = 5;
const MAX_ATTEMPTS = 8;
const MAX_NOTE = 140;
const MARGIN = 50;

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

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The home-visit sheet of a school's open outreach tickets as a printable PDF (US Letter): one student
 * a page, in family-name order, with what the visitor needs and ruled lines for the visit's notes. A
 * school with no open outreach ticket gets one page saying so. Standard PDF fonts: names outside
 * Windows-1252 (Latin scripts) do not print correctly.
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
  const heading = (text: string): void => {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).text(text).font('Helvetica').fontSize(10).moveDown(0.2);
  };
  const line = (text: string): void => {
    doc.text(text, { width: width() });
  };
  const footer = (): void => {
    // Written inside the bottom margin, where pdfkit would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(
        `Confidential student record (FERPA): do not leave at the door. ${school.name}, printed ${moment.format(now)}.`,
        MARGIN,
        doc.page.height - MARGIN + 15,
        { width: width(), lineBreak: false },
      )
      .fillColor('black');
    doc.page.margins.bottom = bottom;
  };

  if (!tickets.length) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(16).text(`Home visits: ${school.name} (${school.code})`);
    doc.moveDown().font('Helvetica').fontSize(11).text('No open outreach tickets at this school.');
    footer();
  }
  for (const t of tickets) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(16).text(`${t.givenName} ${t.familyName}`, { width: width() });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        `${school.name} (${school.code}), ${school.districtName}  ·  Grade ${t.grade ?? 'not recorded'}  ·  Student ID ${t.identifier ?? t.sourcedId}`,
        { width: width() },
      );
    doc
      .fontSize(8)
      .fillColor('#444444')
      .text(
        `Outreach ticket ${t.id}, opened ${day.format(t.openedAt)}, ${t.status.replace('_', ' ')}; assigned to ${t.assignee ?? 'nobody'}`,
      )
      .fillColor('black')
      .fontSize(10);

    heading('Family and contacts');
    line(`Home language: ${t.homeLanguage ?? 'not known'}`);
    line('Address (not in the roster): ______________________________________________________________');
    if (t.guardians.length) {
      for (const g of t.guardians.slice(0, MAX_GUARDIANS)) {
        const ways = [g.phone && `phone ${g.phone}`, g.sms && `text ${g.sms}`, g.email && `email ${g.email}`].filter(Boolean);
        line(`${g.givenName} ${g.familyName} (${g.relation}): ${ways.length ? ways.join(', ') : 'no contact details'}`);
      }
      if (t.guardians.length > MAX_GUARDIANS) line(`and ${t.guardians.length - MAX_GUARDIANS} more (see the ticket)`);
    } else line('No family contacts in the roster.');
    if (t.email) line(`Student email: ${t.email}`);

    heading('Login gap');
    if (t.lastLoginAt) {
      const days = Math.floor((now.getTime() - new Date(t.lastLoginAt).getTime()) / 86_400_000);
      line(`Last successful login: ${moment.format(new Date(t.lastLoginAt))} (${days} ${days === 1 ? 'day' : 'days'} ago)`);
    } else line('Last successful login: never seen');
    if (t.gapOpenedAsOf) line(`In a gap since the scan of ${day.format(new Date(`${t.gapOpenedAsOf}T12:00:00Z`))}`);

    heading('Devices held');
    for (const d of t.devices.slice(0, MAX_DEVICES)) {
      line(
        `${KINDS[d.kind] ?? d.kind}: asset tag ${d.assetTag ?? 'none'}, serial ${d.serialNumber}, since ${day.format(new Date(d.since))} (${d.status.replace('_', ' ')})`,
      );
    }
    if (t.devices.length > MAX_DEVICES) line(`and ${t.devices.length - MAX_DEVICES} more`);
    if (!t.devices.length) line('None on record.');

    heading('Attempts so far');
    const attempts = t.attempts.slice(-MAX_ATTEMPTS);
    if (t.attempts.length > MAX_ATTEMPTS) line(`${t.attempts.length - MAX_ATTEMPTS} earlier attempts not shown`);
    for (const a of attempts) {
      const note = a.note ? `: ${clip(a.note.replace(/\s+/g, ' '), MAX_NOTE)}` : '';
      line(`${moment.format(new Date(a.attemptedAt))}  ${CHANNELS[a.channel] ?? a.channel}, ${OUTCOMES[a.outcome] ?? a.outcome}${note}`);
    }
    if (!t.attempts.length) line('None logged yet.');

    heading('This visit');
    line('Date ____________   Time ________   Visited by ______________________________');
    line('Outcome:   [ ] visited, family seen    [ ] not home    [ ] wrong address    [ ] other');
    doc.moveDown(0.4).text('Notes:');
    // Ruled lines for the notes, down to the bottom margin.
    const bottom = doc.page.height - doc.page.margins.bottom;
    doc.lineWidth(0.5).strokeColor('#888888');
    for (let y = doc.y + 20; y < bottom; y += 22)
      doc
        .moveTo(MARGIN, y)
        .lineTo(doc.page.width - MARGIN, y)
        .stroke();
    doc.strokeColor('black');
    footer();
  }
  doc.end();
  return done;
}

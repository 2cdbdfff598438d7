import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { row, TextFile, zipFiles } from './files.js';
import { Random } from './random.js';

/**
 * A synthetic but realistic state, deterministic from a seed: the same options write the same bytes.
 * Proportions follow /work/shared/DOMAIN.md (Connecticut, fall 2020): about a third of students fully
 * remote, many more in a few large urban districts; a few percent of remote learners disconnected,
 * for a device, an internet or a non-technical reason; Chromebooks, hotspots and their faults.
 * Every file is in a format the imports accept; assignments and repairs, which no import loads, are
 * written as lists for the custody routes.
 */
export interface GenerateOptions {
  seed: number;
  students: number;
  /** Weeks of login history before asOf (at least 2: a gap needs more than 5 school days). */
  weeks: number;
  /** The scan day (YYYY-MM-DD): login events, syncs and usage all happen before it. */
  asOf: string;
  dir: string;
  /** How many districts; by default one per ~3,000 students, between 3 and 170. */
  districts?: number;
  /** District codes are this prefix and a number ("BD001"); a single district gets the prefix alone. */
  codePrefix?: string;
  /** Login activity as the generic CSV (default) or as Google Reports API JSON pages. */
  loginFormat?: 'csv' | 'google';
  /**
   * `state` (default): many districts, a few large urban ones holding URBAN_SHARE of the students.
   * `city`: one urban district holding CITY_SHARE of them (500,000 of 520,000) and three small ones.
   */
  shape?: StateShape;
}

export type StateShape = 'state' | 'city';

type LearningModel = 'in_person' | 'hybrid' | 'remote';
type HomeInternet = 'yes' | 'no' | 'unknown';
type Story = 'connected' | 'intermittent' | 'stopped' | 'never';
type Cause = 'device' | 'internet' | 'other';
type ComputerFault = 'none' | 'no_device' | 'broken' | 'damaged' | 'repair' | 'repair_loaner' | 'disabled' | 'not_syncing' | 'unsupported';
type HotspotFault = 'none' | 'no_hotspot' | 'suspended' | 'deactivated' | 'over_cap' | 'idle' | 'broken';

/** The faults applied through the custody routes (PATCH condition, repair intake) after assignment. */
export type CustodyFault = 'broken' | 'damaged' | 'repair' | 'repair_loaner';

export interface DistrictFiles {
  /** OneRoster 1.1 CSV zip (manifest.csv, orgs.csv, users.csv, enrollments.csv), bulk mode. */
  oneroster: string;
  /** users.csv of that zip as a plain file, for the raw COPY limit. */
  usersCsv: string;
  studentAttributes: string;
  /** A Snipe-IT asset export. */
  devices: string;
  /** Directory API chromeosdevices.list pages, one after another. */
  chromeosDevices: string;
  /** A carrier portal export (imei, iccid, phone_number, line_status, cap_mb, used_mb, last_usage_at). */
  hotspotUsage: string;
  loginEvents: string;
  /** assetTag,studentSourcedId: the distribution-day list for POST /assignments/bulk. */
  assignments: string;
  /** assetTag,fault (CustodyFault): devices to mark broken or take in for repair after assignment. */
  faults: string;
  /** The programme's delivery manifests as a vendor's packing list, one serial a row (shipment-manifest import). */
  shipmentManifest: string;
}

export interface DistrictCounts {
  schools: number;
  students: number;
  teachers: number;
  remote: number;
  hybrid: number;
  inPerson: number;
  chromebooks: number;
  hotspots: number;
  assignments: number;
  custodyFaults: number;
  googleDevices: number;
  hotspotLines: number;
  loginEvents: number;
  /** Rows of the manifests file: serial numbers the programme delivered. */
  manifestSerials: number;
  /** Delivered serials no device has: the rollout report's deliveredNotRegistered. */
  deliveredNotRegistered: number;
  /** The programme's devices no manifest lists: the rollout report's registeredNotOnManifest. */
  registeredNotOnManifest: number;
  /** Remote or hybrid students whose last successful login is before the gap cutoff of asOf, or never. */
  expectedGaps: number;
  /** Fully remote students with no successful login in the week of weekOf. */
  remoteNotConnectedWeekOf: number;
}

export interface GeneratedDistrict {
  index: number;
  code: string;
  name: string;
  timeZone: string;
  urban: boolean;
  files: DistrictFiles;
  counts: DistrictCounts;
}

export interface GeneratedState {
  seed: number;
  asOf: string;
  /** The Monday of the last full school week before asOf: the weekly report's week. */
  weekOf: string;
  weeks: number;
  schoolDays: number;
  fundingSource: string;
  loginFormat: 'csv' | 'google';
  districts: GeneratedDistrict[];
  totals: DistrictCounts;
}

// ----------------------------------------------------------------------------- realism knobs

const TIME_ZONE = 'America/New_York';
const DAY_MS = 86_400_000;
/** The district default the scan uses: a gap is 5 school days without a successful login. */
const GAP_SCHOOL_DAYS = 5;
const EVERYBODY_LEARNS = 'Everybody Learns';

/** Remote and hybrid shares: 60% remote in the lowest-performing (urban) districts against ~20% elsewhere. */
const URBAN = { remote: [0.55, 0.65], hybrid: [0.08, 0.15], internet: { yes: 0.68, no: 0.2, unknown: 0.12 } } as const;
const OTHER = { remote: [0.12, 0.28], hybrid: [0.08, 0.2], internet: { yes: 0.86, no: 0.06, unknown: 0.08 } } as const;
/** Share of students in the few large urban districts. */
const URBAN_SHARE = 0.4;
/** The city shape's big district: 500,000 of 520,000 students, as New York City is to a small neighbour. */
const CITY_SHARE = 500 / 520;
/** Districts of the city shape: the city and three small ones. */
const CITY_DISTRICTS = 4;

/** What happens to a remote or hybrid learner's logins (urban districts: ×1.3 for the bad ones). */
const STORIES = { connected: 0.937, intermittent: 0.03, stopped: 0.025, never: 0.008 } as const;
/** Why a disconnected learner is disconnected, as districts found it. */
const CAUSES = { device: 0.35, internet: 0.3, other: 0.35 } as const;
const DEVICE_CAUSES = { no_device: 0.2, broken: 0.2, repair: 0.15, disabled: 0.1, not_syncing: 0.25, unsupported: 0.1 } as const;
const INTERNET_CAUSES = { no_hotspot: 0.35, suspended: 0.25, over_cap: 0.2, idle: 0.2 } as const;
/** Faults found on the equipment of everyone else (they raise a ticket only once a gap opens). */
const BASE_COMPUTER_FAULTS = {
  none: 0.94,
  broken: 0.008,
  damaged: 0.005,
  repair_loaner: 0.005,
  disabled: 0.002,
  not_syncing: 0.02,
  unsupported: 0.02,
} as const;
const BASE_HOTSPOT_FAULTS = { none: 0.885, suspended: 0.03, deactivated: 0.005, over_cap: 0.03, idle: 0.045, broken: 0.005 } as const;

/** Chance of logging in on a school day, and of a failed attempt or a logout around it. */
const LOGIN_DAY = { in_person: 0.22, hybrid: 0.55, remote: 0.72, intermittent: 0.25 } as const;
const FAILURE_FIRST = 0.04;
const LOGOUT_AFTER = 0.2;
/** Events from accounts the roster does not know (staff, students not yet rostered). */
const UNKNOWN_ACCOUNT = 0.002;

const CHROMEBOOK_MODELS = [
  { model: 'HP Chromebook 11 G9 EE', manufacturer: 'HP', aueDays: 1400, os: '130.0.6723.126' },
  { model: 'Lenovo 100e Chromebook Gen 3', manufacturer: 'Lenovo', aueDays: 1100, os: '130.0.6723.126' },
  { model: 'Dell Chromebook 3110', manufacturer: 'Dell', aueDays: 1900, os: '131.0.6778.88' },
  { model: 'Acer Chromebook 311', manufacturer: 'Acer', aueDays: 1600, os: '131.0.6778.88' },
] as const;
const OLD_CHROMEBOOK = { model: 'Lenovo N23 Chromebook', manufacturer: 'Lenovo', aueDays: -200, os: '103.0.5060.132' } as const;
const HOTSPOT_MODELS = [
  { model: 'Kajeet SmartSpot', manufacturer: 'Franklin Wireless', carrier: 'Kajeet' },
  { model: 'Alcatel LinkZone 2', manufacturer: 'Alcatel', carrier: 'T-Mobile' },
] as const;

const TOWNS = [
  'Ashby',
  'Beacon Falls',
  'Birchwood',
  'Briar Hill',
  'Brookline',
  'Cedar Ridge',
  'Clearwater',
  'Colebrook',
  'Deep River',
  'Eastbury',
  'Elmhurst',
  'Fairhaven',
  'Fox Run',
  'Glenwood',
  'Granby',
  'Greenfield',
  'Hadley',
  'Hawthorne',
  'Highland',
  'Hollis',
  'Kingsbury',
  'Lakeside',
  'Laurel',
  'Ledyard',
  'Linden',
  'Maple Grove',
  'Marlow',
  'Meadowbrook',
  'Middlefield',
  'Millbrook',
  'Northfield',
  'Oakdale',
  'Old Mill',
  'Pine Hill',
  'Pleasant Valley',
  'Quarry',
  'Redding',
  'Ridgefield',
  'Riverbend',
  'Rockport',
  'Salem',
  'Sharon',
  'Silver Lake',
  'Somers',
  'Southwick',
  'Sprague',
  'Stonington',
  'Sunderland',
  'Thornton',
  'Union',
  'Valley Forge',
  'Warren',
  'Westbrook',
  'Whitfield',
  'Willow Creek',
  'Windham',
  'Winslow',
  'Woodbury',
  'Woodstock',
  'Yardley',
];
const URBAN_TOWNS = ['Harbor City', 'Riverton', 'Bridgeview', 'Elm City', 'Brass City', 'Capitol City', 'Lighthouse Point', 'Mill River'];
const TOWN_PREFIXES = ['', 'North ', 'South ', 'East ', 'West ', 'New ', 'Lake ', 'Port ', 'Mount ', 'Upper '];
const GIVEN = [
  'Aaliyah',
  'Aiden',
  'Amelia',
  'Andre',
  'Ava',
  'Benjamin',
  'Brianna',
  'Camila',
  'Carlos',
  'Chloe',
  'Daniel',
  'Destiny',
  'Diego',
  'Elijah',
  'Emma',
  'Ethan',
  'Gabriel',
  'Grace',
  'Isabella',
  'Jayden',
  'Jasmine',
  'Jose',
  'Kayla',
  'Liam',
  'Lucas',
  'Luis',
  'Maya',
  'Mia',
  'Nevaeh',
  'Noah',
  'Olivia',
  'Omar',
  'Priya',
  'Samuel',
  'Sofia',
  'Tyler',
  'Valentina',
  'William',
  'Xavier',
  'Zoe',
];
const FAMILY = [
  'Adams',
  'Alvarez',
  'Baker',
  'Brown',
  'Chen',
  'Clark',
  'Cruz',
  'Davis',
  'Diaz',
  'Evans',
  'Flores',
  'Garcia',
  'Gonzalez',
  'Hall',
  'Harris',
  'Hernandez',
  'Jackson',
  'Johnson',
  'Kim',
  'Lee',
  'Lopez',
  'Martin',
  'Martinez',
  'Miller',
  'Moore',
  'Nguyen',
  'Ortiz',
  'Patel',
  'Perez',
  'Ramirez',
  'Rivera',
  'Robinson',
  'Rodriguez',
  'Sanchez',
  'Smith',
  'Taylor',
  'Thomas',
  'Torres',
  'Walker',
  'Williams',
];
const GRADES = ['KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
/** Grade bands and a typical school size for each. */
const BANDS = [
  { band: 'E', label: 'Elementary School', grades: GRADES.slice(0, 6), size: 380 },
  { band: 'M', label: 'Middle School', grades: GRADES.slice(6, 9), size: 600 },
  { band: 'H', label: 'High School', grades: GRADES.slice(9), size: 1100 },
] as const;
const SCHOOL_NAMES = [
  'Lincoln',
  'Washington',
  'Jefferson',
  'Roosevelt',
  'Franklin',
  'King',
  'Parks',
  'Hale',
  'Webster',
  'Barnard',
  'Clemente',
  'Sheridan',
];

// ----------------------------------------------------------------------------- dates

const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (date: string, days: number): string => dateOf(dayStart(date) + days * DAY_MS);
const isWeekday = (date: string): boolean => {
  const day = new Date(dayStart(date)).getUTCDay();
  return day !== 0 && day !== 6;
};
/** Whole seconds, as Google writes them. */
const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** The Monday of the week before asOf's week: the last week that is over. */
export function previousWeekOf(asOf: string): string {
  const weekday = (new Date(dayStart(asOf)).getUTCDay() + 6) % 7;
  return addDays(asOf, -weekday - 7);
}

// ----------------------------------------------------------------------------- the model

interface School {
  sourcedId: string;
  code: string;
  name: string;
  grades: readonly string[];
  enrollment: number;
}

interface Student {
  n: number;
  sourcedId: string;
  given: string;
  family: string;
  email: string;
  school: School;
  model: LearningModel;
  internet: HomeInternet;
  story: Story;
  cause: Cause | null;
  /** Stopped learners: the last school day (index into the window) they may log in. */
  lastDay: number;
  /** Index of the last school day with a successful login, -1 for none. */
  lastSuccess: number;
  successInWeek: boolean;
}

interface Device {
  kind: 'chromebook' | 'hotspot';
  assetTag: string;
  serial: string;
  school: School;
  status: 'in_stock' | 'lost' | 'stolen' | 'retired';
  holder: Student | null;
  computerFault: ComputerFault;
  hotspotFault: HotspotFault;
  funding: string;
  model: string;
  manufacturer: string;
  aueDays: number;
  os: string;
  carrier: string;
  imei: string;
  iccid: string;
  phone: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Students per district: the urban districts share URBAN_SHARE equally; the others follow a Zipf-like
 * curve with some noise, from suburban districts of several thousand down to rural ones of a few hundred.
 */
function districtSizes(total: number, count: number, urban: number, urbanShare: number, rng: Random): number[] {
  const weights: number[] = [];
  for (let i = 0; i < count; i++) weights.push(i < urban ? 0 : Math.pow(i - urban + 1, -0.8) * Math.exp(rng.normal() * 0.25));
  const otherWeight = weights.reduce((sum, w) => sum + w, 0);
  const urbanTotal = urban === 0 ? 0 : count === urban ? total : Math.round(total * urbanShare);
  const sizes = weights.map((w, i) =>
    i < urban ? Math.round(urbanTotal / urban) : Math.max(60, Math.round(((total - urbanTotal) * w) / otherWeight)),
  );
  // Rounding drift goes to the first district, so the state adds up to exactly `total`.
  sizes[0]! += total - sizes.reduce((sum, s) => sum + s, 0);
  return sizes;
}

function districtName(index: number, urban: boolean, single: boolean): string {
  if (single) return 'Demo Public Schools';
  if (urban) return `${URBAN_TOWNS[index % URBAN_TOWNS.length]} Public Schools`;
  const town = TOWNS[index % TOWNS.length]!;
  return `${TOWN_PREFIXES[Math.floor(index / TOWNS.length) % TOWN_PREFIXES.length]}${town} Public Schools`;
}

class DistrictGenerator {
  private readonly rng: Random;
  private readonly schools: School[] = [];
  private readonly students: Student[] = [];
  private readonly teachers: { sourcedId: string; given: string; family: string; school: School }[] = [];
  private readonly devices: Device[] = [];
  private readonly counts: DistrictCounts;
  private readonly dir: string;

  constructor(
    private readonly options: Required<Omit<GenerateOptions, 'districts' | 'codePrefix'>>,
    private readonly index: number,
    private readonly code: string,
    private readonly size: number,
    private readonly urban: boolean,
    private readonly days: string[],
    private readonly weekDays: Set<number>,
  ) {
    this.rng = new Random(options.seed, `district:${index}`);
    this.dir = join(options.dir, code);
    this.counts = {
      schools: 0,
      students: size,
      teachers: 0,
      remote: 0,
      hybrid: 0,
      inPerson: 0,
      chromebooks: 0,
      hotspots: 0,
      assignments: 0,
      custodyFaults: 0,
      googleDevices: 0,
      hotspotLines: 0,
      loginEvents: 0,
      manifestSerials: 0,
      deliveredNotRegistered: 0,
      registeredNotOnManifest: 0,
      expectedGaps: 0,
      remoteNotConnectedWeekOf: 0,
    };
  }

  async generate(name: string): Promise<GeneratedDistrict> {
    mkdirSync(this.dir, { recursive: true });
    this.makeSchools();
    this.makeStudents();
    this.makeDevices();
    const files: DistrictFiles = {
      oneroster: join(this.dir, 'oneroster.zip'),
      usersCsv: join(this.dir, 'users.csv'),
      studentAttributes: join(this.dir, 'student-attributes.csv'),
      devices: join(this.dir, 'devices.csv'),
      chromeosDevices: join(this.dir, 'chromeos-devices.json'),
      hotspotUsage: join(this.dir, 'hotspot-usage.csv'),
      loginEvents: join(this.dir, this.options.loginFormat === 'google' ? 'login-activity.json' : 'login-events.csv'),
      assignments: join(this.dir, 'assignments.csv'),
      faults: join(this.dir, 'faults.csv'),
      shipmentManifest: join(this.dir, 'shipment-manifest.csv'),
    };
    await this.writeRoster(name, files);
    this.writeAttributes(files.studentAttributes);
    this.writeDevices(files.devices);
    this.writeCustody(files.assignments, files.faults);
    this.writeChromeos(files.chromeosDevices);
    this.writeHotspotUsage(files.hotspotUsage);
    this.writeLogins(files.loginEvents);
    this.writeShipmentManifest(files.shipmentManifest);
    for (const s of this.students) {
      if (s.model !== 'in_person' && s.lastSuccess < this.days.length - GAP_SCHOOL_DAYS) this.counts.expectedGaps += 1;
      if (s.model === 'remote' && !s.successInWeek) this.counts.remoteNotConnectedWeekOf += 1;
    }
    return { index: this.index, code: this.code, name, timeZone: TIME_ZONE, urban: this.urban, files, counts: this.counts };
  }

  private makeSchools(): void {
    const perBand = [6 / 13, 3 / 13, 4 / 13];
    BANDS.forEach((band, b) => {
      const enrolled = Math.round(this.size * perBand[b]!);
      if (enrolled === 0) return;
      const count = Math.max(1, Math.round(enrolled / band.size));
      for (let i = 0; i < count; i++) {
        const n = this.schools.length + 1;
        this.schools.push({
          sourcedId: `${this.code}-org-${pad(n, 3)}`,
          code: `${this.code}-${band.band}${pad(i + 1, 2)}`,
          name: `${SCHOOL_NAMES[(this.index + n) % SCHOOL_NAMES.length]} ${band.label}${count > 1 ? ` ${i + 1}` : ''}`,
          grades: band.grades,
          enrollment: 0,
        });
      }
    });
    this.counts.schools = this.schools.length;
  }

  private makeStudents(): void {
    const rng = this.rng;
    const profile = this.urban ? URBAN : OTHER;
    const remoteRate = rng.uniform(profile.remote[0], profile.remote[1]);
    const hybridRate = rng.uniform(profile.hybrid[0], profile.hybrid[1]);
    const bad = this.urban ? 1.3 : 1;
    const stories = { ...STORIES, intermittent: STORIES.intermittent * bad, stopped: STORIES.stopped * bad, never: STORIES.never * bad };
    // Grades are about equally large: 6 of 13 elementary, 3 middle, 4 high.
    const schoolsOf = BANDS.map((band) => this.schools.filter((s) => s.grades === band.grades));
    for (let n = 1; n <= this.size; n++) {
      const inBand = schoolsOf[n % 13 < 6 ? 0 : n % 13 < 9 ? 1 : 2]!;
      const school = rng.pick(inBand.length ? inBand : this.schools);
      school.enrollment += 1;
      const given = rng.pick(GIVEN);
      const family = rng.pick(FAMILY);
      const x = rng.next();
      const model: LearningModel = x < remoteRate ? 'remote' : x < remoteRate + hybridRate ? 'hybrid' : 'in_person';
      const story: Story = model === 'in_person' ? 'connected' : rng.weighted(stories);
      const cause: Cause | null = story === 'stopped' || story === 'never' ? rng.weighted(CAUSES) : null;
      let internet: HomeInternet = rng.weighted(profile.internet);
      if (cause === 'internet' && internet === 'yes') internet = rng.chance(0.7) ? 'no' : 'unknown';
      // A stopped learner's last possible login: at least one school day beyond the gap threshold back.
      const lastDay =
        story === 'stopped'
          ? this.days.length - 1 - rng.between(GAP_SCHOOL_DAYS, Math.max(GAP_SCHOOL_DAYS, this.days.length))
          : this.days.length - 1;
      const sourcedId = `${this.code}-stu-${pad(n, 6)}`;
      this.students.push({
        n,
        sourcedId,
        given,
        family,
        email: `${given}.${family}.${n}@${this.code.toLowerCase()}.k12.example.org`.toLowerCase(),
        school,
        model,
        internet,
        story,
        cause,
        lastDay,
        lastSuccess: -1,
        successInWeek: false,
      });
      if (model === 'remote') this.counts.remote += 1;
      else if (model === 'hybrid') this.counts.hybrid += 1;
      else this.counts.inPerson += 1;
      if (n % 15 === 0) {
        this.teachers.push({ sourcedId: `${this.code}-tch-${pad(n / 15, 5)}`, given: rng.pick(GIVEN), family: rng.pick(FAMILY), school });
      }
    }
    this.counts.teachers = this.teachers.length;
  }

  private newDevice(kind: 'chromebook' | 'hotspot', school: School, holder: Student | null, n: number): Device {
    const rng = this.rng;
    const id = this.index * 1_000_000 + n;
    const chromebook = kind === 'chromebook';
    const spec = chromebook ? rng.pick(CHROMEBOOK_MODELS) : null;
    const hotspot = chromebook ? null : rng.pick(HOTSPOT_MODELS);
    const funding = rng.weighted<string>(
      chromebook
        ? this.urban
          ? { [EVERYBODY_LEARNS]: 0.7, 'Partnership for Connecticut': 0.15, 'District purchase': 0.15 }
          : { [EVERYBODY_LEARNS]: 0.5, 'Partnership for Connecticut': 0.1, 'District purchase': 0.4 }
        : { [EVERYBODY_LEARNS]: 0.6, 'Partnership for Connecticut': 0.4 },
    );
    const device: Device = {
      kind,
      assetTag: `${this.code}-${chromebook ? 'CB' : 'HS'}-${pad(n, 6)}`,
      serial: `${chromebook ? '5CD' : 'HS'}${id.toString(36).toUpperCase().padStart(7, '0')}`,
      school,
      status: 'in_stock',
      holder,
      computerFault: 'none',
      hotspotFault: 'none',
      funding,
      model: spec?.model ?? hotspot!.model,
      manufacturer: spec?.manufacturer ?? hotspot!.manufacturer,
      aueDays: spec?.aueDays ?? 0,
      os: spec?.os ?? '',
      carrier: hotspot?.carrier ?? '',
      imei: chromebook ? '' : `35${pad(this.index, 3)}${pad(n, 10)}`,
      iccid: chromebook ? '' : `8901260${pad(this.index, 3)}${pad(n, 9)}`,
      phone: chromebook ? '' : `860${pad((this.index * 37 + n) % 10_000_000, 7)}`,
    };
    this.devices.push(device);
    return device;
  }

  private makeDevices(): void {
    const rng = this.rng;
    const perKind = { chromebook: 0, hotspot: 0 };
    const make = (kind: 'chromebook' | 'hotspot', school: School, holder: Student | null): Device => {
      perKind[kind] += 1;
      return this.newDevice(kind, school, holder, perKind[kind]);
    };
    for (const s of this.students) {
      const learnsAtHome = s.model !== 'in_person';
      const disconnected = s.cause !== null;
      let computerFault: ComputerFault;
      if (disconnected && s.cause === 'device') computerFault = rng.weighted(DEVICE_CAUSES);
      else if (learnsAtHome || rng.chance(0.35)) computerFault = rng.weighted(BASE_COMPUTER_FAULTS);
      else computerFault = 'no_device';
      if (learnsAtHome && !disconnected && rng.chance(0.02)) computerFault = 'no_device';
      if (computerFault !== 'no_device') {
        const device = make('chromebook', s.school, s);
        device.computerFault = computerFault;
        if (computerFault === 'unsupported')
          Object.assign(device, {
            model: OLD_CHROMEBOOK.model,
            manufacturer: OLD_CHROMEBOOK.manufacturer,
            aueDays: OLD_CHROMEBOOK.aueDays,
            os: OLD_CHROMEBOOK.os,
          });
      }
      if (!learnsAtHome) continue;
      let hotspotFault: HotspotFault = 'no_hotspot';
      if (disconnected && s.cause === 'internet') hotspotFault = rng.weighted(INTERNET_CAUSES);
      else if ((s.internet === 'no' && rng.chance(0.85)) || (s.internet === 'unknown' && rng.chance(0.3)))
        hotspotFault = rng.weighted(BASE_HOTSPOT_FAULTS);
      if (hotspotFault !== 'no_hotspot') make('hotspot', s.school, s).hotspotFault = hotspotFault;
    }
    // Spares at every school, and the devices no longer in circulation.
    for (const school of this.schools) {
      for (let i = 0; i < Math.max(2, Math.round(school.enrollment * 0.04)); i++) make('chromebook', school, null);
      for (let i = 0; i < Math.max(1, Math.round(school.enrollment * 0.015)); i++) make('hotspot', school, null);
      for (let i = 0; i < Math.round(school.enrollment * 0.013); i++) {
        make('chromebook', school, null).status = rng.weighted({ lost: 0.3, stolen: 0.1, retired: 0.6 });
      }
    }
    this.counts.chromebooks = perKind.chromebook;
    this.counts.hotspots = perKind.hotspot;
  }

  private async writeRoster(name: string, files: DistrictFiles): Promise<void> {
    const orgsPath = join(this.dir, 'orgs.csv');
    const manifestPath = join(this.dir, 'manifest.csv');
    const manifest = new TextFile(manifestPath);
    for (const line of [
      'propertyName,value',
      'manifest.version,1.0',
      'oneroster.version,1.1',
      'file.academicSessions,absent',
      'file.orgs,bulk',
      'file.users,bulk',
      'file.enrollments,bulk',
      'source.systemName,Bench SIS',
    ]) {
      manifest.line(line);
    }
    manifest.close();
    const orgs = new TextFile(orgsPath);
    orgs.line('sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId');
    orgs.line(row(`${this.code}-org-000`, '', '', name, 'district', this.code, ''));
    for (const s of this.schools) orgs.line(row(s.sourcedId, '', '', s.name, 'school', s.code, `${this.code}-org-000`));
    orgs.close();
    const users = new TextFile(files.usersCsv);
    users.line(
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
    );
    const rng = new Random(this.options.seed, `roster:${this.index}`);
    let teacher = 0;
    for (const s of this.students) {
      const grade = s.school.grades[s.n % s.school.grades.length]!;
      users.line(
        row(
          s.sourcedId,
          '',
          '',
          'true',
          s.school.sourcedId,
          'student',
          s.email.split('@')[0],
          '',
          s.given,
          s.family,
          rng.chance(0.3) ? rng.pick(GIVEN) : '',
          pad(this.index * 1_000_000 + s.n, 10),
          s.email,
          '',
          '',
          '',
          grade,
          '',
        ),
      );
      if (s.n % 15 === 0) {
        const t = this.teachers[teacher++]!;
        users.line(
          row(
            t.sourcedId,
            '',
            '',
            'true',
            t.school.sourcedId,
            'teacher',
            `${t.given}.${t.family}.${teacher}`.toLowerCase(),
            '',
            t.given,
            t.family,
            '',
            '',
            `${t.given}.${t.family}.${teacher}@${this.code.toLowerCase()}.k12.example.org`.toLowerCase(),
            '',
            '',
            '',
            '',
            '',
          ),
        );
      }
    }
    users.close();
    // One homeroom enrolment a student, begun two weeks before the login history: everyone is expected
    // online for all of it, so the gaps are the logins' (students.enrolled_on comes from beginDate).
    const enrollmentsPath = join(this.dir, 'enrollments.csv');
    const enrollments = new TextFile(enrollmentsPath);
    enrollments.line('sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate');
    const beginDate = addDays(this.options.asOf, -(this.options.weeks + 2) * 7);
    for (const s of this.students) {
      enrollments.line(
        row(`${s.sourcedId}-hr`, '', '', `${s.school.sourcedId}-hr`, s.school.sourcedId, s.sourcedId, 'student', 'false', beginDate, ''),
      );
    }
    enrollments.close();
    await zipFiles(
      files.oneroster,
      [
        { path: manifestPath, name: 'manifest.csv' },
        { path: orgsPath, name: 'orgs.csv' },
        { path: files.usersCsv, name: 'users.csv' },
        { path: enrollmentsPath, name: 'enrollments.csv' },
      ],
      new Date(Date.UTC(2020, 8, 1)),
    );
  }

  private writeAttributes(path: string): void {
    const file = new TextFile(path);
    file.line('sourcedId,learningModel,homeInternet');
    for (const s of this.students) file.line(row(s.sourcedId, s.model, s.internet));
    file.close();
  }

  private writeDevices(path: string): void {
    const file = new TextFile(path);
    file.line(
      'Asset Tag,Name,Serial,Model,Manufacturer,Category,Location,Status,Funding Source,Purchase Date,IMEI,UICC,Phone Number,Carrier',
    );
    const status = { in_stock: 'Ready to Deploy', lost: 'Lost', stolen: 'Stolen', retired: 'Archived' } as const;
    for (const d of this.devices) {
      const chromebook = d.kind === 'chromebook';
      file.line(
        row(
          d.assetTag,
          '',
          d.serial,
          d.model,
          d.manufacturer,
          chromebook ? 'Chromebooks' : 'MiFi Hotspots',
          d.school.code,
          status[d.status],
          d.funding,
          '2020-08-24',
          d.imei,
          d.iccid,
          d.phone,
          d.carrier,
        ),
      );
    }
    file.close();
  }

  private writeCustody(assignmentsPath: string, faultsPath: string): void {
    const assignments = new TextFile(assignmentsPath);
    const faults = new TextFile(faultsPath);
    assignments.line('assetTag,studentSourcedId');
    faults.line('assetTag,fault');
    for (const d of this.devices) {
      if (!d.holder || d.status !== 'in_stock') continue;
      assignments.line(row(d.assetTag, d.holder.sourcedId));
      this.counts.assignments += 1;
      const fault = d.kind === 'chromebook' ? d.computerFault : d.hotspotFault;
      if (fault === 'broken' || fault === 'damaged' || fault === 'repair' || fault === 'repair_loaner') {
        faults.line(row(d.assetTag, fault));
        this.counts.custodyFaults += 1;
      }
    }
    assignments.close();
    faults.close();
  }

  private writeChromeos(path: string): void {
    const rng = new Random(this.options.seed, `google:${this.index}`);
    const file = new TextFile(path);
    const asOf = dayStart(this.options.asOf);
    const hex = (n: number): string => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
    let page: string[] = [];
    let pages = 0;
    const flush = (last: boolean): void => {
      if (!page.length) return;
      pages += 1;
      file.line(
        `{"kind":"admin#directory#chromeosdevices","chromeosdevices":[${page.join(',')}]${last ? '' : `,"nextPageToken":"page-${pages + 1}"`}}`,
      );
      page = [];
    };
    const entries: { serial: string; device: Device | null }[] = this.devices
      .filter((d) => d.kind === 'chromebook')
      .map((d) => ({ serial: d.serial, device: d }));
    // Google knows some devices inventory never recorded; they arrive as unassigned Chromebooks.
    const unknown = Math.round(entries.length * 0.003);
    for (let i = 1; i <= unknown; i++)
      entries.push({ serial: `GX${(this.index * 100_000 + i).toString(36).toUpperCase().padStart(7, '0')}`, device: null });
    for (const { serial, device } of entries) {
      // A few devices were never enrolled in the district's Google domain.
      if (device && rng.chance(0.005) && device.computerFault === 'none') continue;
      const spec = device ?? {
        model: rng.pick(CHROMEBOOK_MODELS).model,
        aueDays: 1400,
        os: '130.0.6723.126',
        status: 'in_stock',
        holder: null,
        computerFault: 'none' as ComputerFault,
        assetTag: null,
      };
      const fault = spec.computerFault;
      const status =
        spec.status === 'retired'
          ? 'DEPROVISIONED'
          : spec.status === 'lost' || spec.status === 'stolen' || fault === 'disabled'
            ? 'DISABLED'
            : 'ACTIVE';
      const syncDaysAgo = fault === 'not_syncing' ? rng.uniform(9, 45) : spec.holder ? rng.uniform(0.05, 3) : rng.uniform(1, 60);
      const aue = addDays(this.options.asOf, spec.aueDays);
      const holderEmail = spec.holder?.email ?? null;
      const item: Record<string, unknown> = {
        kind: 'admin#directory#chromeosdevice',
        deviceId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        serialNumber: serial,
        status,
        lastSync: isoSeconds(asOf - syncDaysAgo * DAY_MS),
        ...(spec.assetTag ? { annotatedAssetId: spec.assetTag } : {}),
        ...(holderEmail && rng.chance(0.25) ? { annotatedUser: holderEmail } : {}),
        orgUnitPath: device ? `/Students/${device.school.code}` : '/Unassigned',
        osVersion: spec.os,
        model: spec.model,
        macAddress: hex(12),
        ...(rng.chance(0.1) ? { autoUpdateExpiration: String(dayStart(aue)) } : { autoUpdateThrough: aue }),
        ...(holderEmail && rng.chance(0.7) ? { recentUsers: [{ type: 'USER_TYPE_MANAGED', email: holderEmail }] } : {}),
      };
      page.push(JSON.stringify(item));
      this.counts.googleDevices += 1;
      if (page.length === 200) flush(false);
    }
    flush(true);
    file.close();
  }

  private writeHotspotUsage(path: string): void {
    const rng = new Random(this.options.seed, `carrier:${this.index}`);
    const file = new TextFile(path);
    const asOf = dayStart(this.options.asOf);
    file.line('imei,iccid,phone_number,line_status,cap_mb,used_mb,last_usage_at');
    for (const d of this.devices) {
      if (d.kind !== 'hotspot') continue;
      const fault = d.hotspotFault;
      const cap = rng.chance(0.3) ? 0 : rng.pick([10_240, 20_480]);
      let used = d.holder ? Math.round(cap ? cap * rng.uniform(0.05, 0.9) : rng.uniform(200, 15_000)) : 0;
      let lastUsage: string | null = d.holder ? isoSeconds(asOf - rng.uniform(0.05, 2) * DAY_MS) : null;
      let status = 'active';
      if (fault === 'over_cap') used = (cap || 10_240) + rng.between(0, 2000);
      if (fault === 'idle' || fault === 'suspended' || fault === 'deactivated') lastUsage = isoSeconds(asOf - rng.uniform(8, 40) * DAY_MS);
      if (fault === 'suspended') status = rng.pick(['suspended', 'Suspended', 'hotlined']);
      if (fault === 'deactivated') status = 'deactivated';
      file.line(row(d.imei, d.iccid, d.phone, status, fault === 'over_cap' && !cap ? 10_240 : cap, used, lastUsage));
      this.counts.hotspotLines += 1;
    }
    file.close();
  }

  /** Day by day, oldest first, as an export covering several weeks reads. */
  private writeLogins(path: string): void {
    const rng = new Random(this.options.seed, `logins:${this.index}`);
    const google = this.options.loginFormat === 'google';
    const file = new TextFile(path);
    let counter = 0;
    let pageItems: string[] = [];
    const flushPage = (last: boolean): void => {
      if (!pageItems.length) return;
      file.line(`{"kind":"admin#reports#activities","items":[${pageItems.join(',')}]${last ? '' : `,"nextPageToken":"t${counter}"`}}`);
      pageItems = [];
    };
    if (!google) file.line('occurred_at,student_sourced_id,source,event,unique_id');
    const emit = (at: number, sourcedId: string, email: string, event: string): void => {
      counter += 1;
      this.counts.loginEvents += 1;
      const time = new Date(at).toISOString();
      if (!google) {
        file.line(row(time, sourcedId, 'google', event, `${this.code}-ev-${counter}`));
        return;
      }
      pageItems.push(
        JSON.stringify({
          kind: 'admin#reports#activity',
          id: { time, uniqueQualifier: `-${this.index * 10_000_000_000 + counter}`, applicationName: 'login', customerId: 'C0bench' },
          actor: { email, profileId: String(100_000_000_000 + this.index * 1_000_000 + counter) },
          ipAddress: `10.${this.index % 250}.${(counter >> 8) % 250}.${counter % 250}`,
          events: [{ type: 'login', name: event, parameters: [{ name: 'login_type', value: 'google_password' }] }],
        }),
      );
      if (pageItems.length === 1000) flushPage(false);
    };
    this.days.forEach((day, d) => {
      const start = dayStart(day) + 12 * 3_600_000;
      for (const s of this.students) {
        if (s.story === 'never' || d > s.lastDay) continue;
        const p = s.story === 'intermittent' ? LOGIN_DAY.intermittent : LOGIN_DAY[s.model];
        if (!rng.chance(p)) continue;
        let at = start + Math.floor(rng.next() * 9 * 3_600_000);
        if (rng.chance(FAILURE_FIRST)) {
          emit(at, s.sourcedId, s.email, 'login_failure');
          at += rng.between(5_000, 60_000);
        }
        emit(at, s.sourcedId, s.email, 'login_success');
        s.lastSuccess = d;
        if (this.weekDays.has(d)) s.successInWeek = true;
        if (rng.chance(LOGOUT_AFTER)) emit(at + rng.between(600_000, 3_600_000), s.sourcedId, s.email, 'logout');
        if (rng.chance(UNKNOWN_ACCOUNT)) {
          const k = rng.int(100_000);
          emit(at + 1000, `${this.code}-new-${k}`, `new.student.${k}@${this.code.toLowerCase()}.k12.example.org`, 'login_success');
        }
      }
    });
    if (google) flushPage(true);
    file.close();
  }

  /**
   * Manifests of up to 20,000 serials, each its own delivery note and date, in a vendor's column names
   * (the import maps them to serialNumber, fundingSource, shippedOn and reference).
   */
  private writeShipmentManifest(path: string): void {
    const rng = new Random(this.options.seed, `shipments:${this.index}`);
    // Delivered by the programme: its devices, less a few registered without a manifest line, plus a few never registered.
    const programme = this.devices.filter((d) => d.funding === EVERYBODY_LEARNS);
    const serials = programme.filter(() => !rng.chance(0.01)).map((d) => d.serial);
    this.counts.registeredNotOnManifest = programme.length - serials.length;
    const missing = Math.round(serials.length * 0.005);
    for (let i = 1; i <= missing; i++) serials.push(`NR${(this.index * 100_000 + i).toString(36).toUpperCase().padStart(7, '0')}`);
    this.counts.deliveredNotRegistered = missing;
    this.counts.manifestSerials = serials.length;
    const file = new TextFile(path);
    file.line('Delivery Note,Delivery Date,Donation Program,Serial Number');
    serials.forEach((serial, i) => {
      const manifest = Math.floor(i / 20_000);
      file.line(row(`${this.code}-EL-${pad(manifest + 1, 3)}`, addDays(this.options.asOf, -90 + manifest * 7), EVERYBODY_LEARNS, serial));
    });
    file.close();
  }
}

function schoolDaysBefore(asOf: string, weeks: number): string[] {
  const days: string[] = [];
  for (let date = addDays(asOf, -weeks * 7); date < asOf; date = addDays(date, 1)) if (isWeekday(date)) days.push(date);
  return days;
}

const ZERO: DistrictCounts = {
  schools: 0,
  students: 0,
  teachers: 0,
  remote: 0,
  hybrid: 0,
  inPerson: 0,
  chromebooks: 0,
  hotspots: 0,
  assignments: 0,
  custodyFaults: 0,
  googleDevices: 0,
  hotspotLines: 0,
  loginEvents: 0,
  manifestSerials: 0,
  deliveredNotRegistered: 0,
  registeredNotOnManifest: 0,
  expectedGaps: 0,
  remoteNotConnectedWeekOf: 0,
};

/** Writes the state into options.dir (one folder per district, and state.json describing it). */
export async function generateState(options: GenerateOptions): Promise<GeneratedState> {
  if (!Number.isInteger(options.students) || options.students < 10) throw new Error('students must be a whole number of at least 10');
  if (!Number.isInteger(options.weeks) || options.weeks < 2 || options.weeks > 26)
    throw new Error('weeks must be a whole number from 2 to 26');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) throw new Error('asOf must be a date YYYY-MM-DD');
  const full = { loginFormat: 'csv' as const, shape: 'state' as const, ...options };
  const city = options.shape === 'city';
  const count = options.districts ?? (city ? CITY_DISTRICTS : Math.min(170, Math.max(3, Math.round(options.students / 3000))));
  const urban = count === 1 ? 0 : city ? 1 : Math.max(1, Math.round(count * 0.03));
  const rng = new Random(options.seed, 'state');
  const sizes = districtSizes(options.students, count, urban, city ? CITY_SHARE : URBAN_SHARE, rng);
  const days = schoolDaysBefore(options.asOf, options.weeks);
  const weekOf = previousWeekOf(options.asOf);
  const weekDays = new Set(days.flatMap((day, i) => (day >= weekOf && day < addDays(weekOf, 7) ? [i] : [])));
  mkdirSync(options.dir, { recursive: true });
  const prefix = options.codePrefix ?? 'BD';
  const districts: GeneratedDistrict[] = [];
  for (let i = 0; i < count; i++) {
    const code = count === 1 ? prefix : `${prefix}${pad(i + 1, 3)}`;
    const generator = new DistrictGenerator(full, i, code, sizes[i]!, i < urban, days, weekDays);
    districts.push(await generator.generate(districtName(i, i < urban, count === 1)));
  }
  const totals = { ...ZERO };
  for (const d of districts) for (const key of Object.keys(totals) as (keyof DistrictCounts)[]) totals[key] += d.counts[key];
  const state: GeneratedState = {
    seed: options.seed,
    asOf: options.asOf,
    weekOf,
    weeks: options.weeks,
    schoolDays: days.length,
    fundingSource: EVERYBODY_LEARNS,
    loginFormat: full.loginFormat,
    districts,
    totals,
  };
  writeFileSync(join(options.dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

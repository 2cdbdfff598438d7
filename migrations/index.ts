import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { Inventory1764000100000 } from './1764000100000-inventory.js';
import { Imports1764000200000 } from './1764000200000-imports.js';
import { Connectivity1764000300000 } from './1764000300000-connectivity.js';
import { Reports1764000400000 } from './1764000400000-reports.js';
import { ShipmentManifestImport1764000500000 } from './1764000500000-shipment-manifest-import.js';
import { BulkLoad1764000600000 } from './1764000600000-bulk-load.js';
import { StaffSignIn1764000700000 } from './1764000700000-staff-sign-in.js';
import { SchoolYears1764000800000 } from './1764000800000-school-years.js';
import { ImportEncodingsRoster121764001000000 } from './1764001000000-import-encodings-roster-12.js';
import { AssetExports1764001100000 } from './1764001100000-asset-exports.js';
import { SafeWithdrawals1764001200000 } from './1764001200000-safe-withdrawals.js';
import { OneOpenRepairTicket1764001300000 } from './1764001300000-one-open-repair-ticket.js';
import { SafeRetriesVersions1764001400000 } from './1764001400000-safe-retries-versions.js';
import { AcknowledgementSignature1764002000000 } from './1764002000000-acknowledgement-signature.js';
import { Connectors1764002200000 } from './1764002200000-connectors.js';
import { GoogleWriteBacks1764002210000 } from './1764002210000-google-write-backs.js';
import { LoginEventPartitions1764002300000 } from './1764002300000-login-event-partitions.js';
import { StateLookups1764002400000 } from './1764002400000-state-lookups.js';
import { CustodyLedgerRetention1764002500000 } from './1764002500000-custody-ledger-retention.js';
import { FamilyContacts1764002510000 } from './1764002510000-family-contacts.js';
import { TicketChanges1764002520000 } from './1764002520000-ticket-changes.js';
import { ConsoleLookups1764002600000 } from './1764002600000-console-lookups.js';
import { EmailLookupStatistics1764003000000 } from './1764003000000-email-lookup-statistics.js';
import { HotCustody1764003200000 } from './1764003200000-hot-custody.js';
import { SearchPrefixes1764003500000 } from './1764003500000-search-prefixes.js';
import { LoginEventWeeklyPartitions1764003600000 } from './1764003600000-login-event-weekly-partitions.js';
import { DeviceImportLookups1764004100000 } from './1764004100000-device-import-lookups.js';
import { OneSourcedIdKey1764004200000 } from './1764004200000-one-sourced-id-key.js';
import { SearchLocalPart1764004300000 } from './1764004300000-search-local-part.js';
import { VersionBumpWhenNeeded1764004400000 } from './1764004400000-version-bump-when-needed.js';
import { StudentsListByDistrict1764004500000 } from './1764004500000-students-list-by-district.js';
import { LoginEventsResolvedInsert1764004600000 } from './1764004600000-login-events-resolved-insert.js';
import { StudentsDistrictThroughSchool1764004700000 } from './1764004700000-students-district-through-school.js';

/** Every migration, in order. Listed by hand so the app, the CLI and the tests load the same set. */
export const MIGRATIONS = [
  Foundation1764000000000,
  Inventory1764000100000,
  Imports1764000200000,
  Connectivity1764000300000,
  Reports1764000400000,
  ShipmentManifestImport1764000500000,
  BulkLoad1764000600000,
  StaffSignIn1764000700000,
  SchoolYears1764000800000,
  ImportEncodingsRoster121764001000000,
  AssetExports1764001100000,
  SafeWithdrawals1764001200000,
  OneOpenRepairTicket1764001300000,
  SafeRetriesVersions1764001400000,
  AcknowledgementSignature1764002000000,
  Connectors1764002200000,
  GoogleWriteBacks1764002210000,
  LoginEventPartitions1764002300000,
  StateLookups1764002400000,
  CustodyLedgerRetention1764002500000,
  FamilyContacts1764002510000,
  TicketChanges1764002520000,
  ConsoleLookups1764002600000,
  EmailLookupStatistics1764003000000,
  HotCustody1764003200000,
  SearchPrefixes1764003500000,
  LoginEventWeeklyPartitions1764003600000,
  DeviceImportLookups1764004100000,
  OneSourcedIdKey1764004200000,
  SearchLocalPart1764004300000,
  VersionBumpWhenNeeded1764004400000,
  StudentsListByDistrict1764004500000,
  LoginEventsResolvedInsert1764004600000,
  StudentsDistrictThroughSchool1764004700000,
];

import { Injectable } from '@nestjs/common';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import { actorOf, districtFilter, districtFor, inSchoolScope } from '../auth/scope.js';
import type { Principal } from '../auth/principal.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, page } from '../common/http/pagination.js';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import { explainConstraint } from '../database/pg-errors.js';
import { recordWriteBacks } from '../connectors/write-backs.repository.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CHROMEBOOK_FIELDS, HOTSPOT_FIELDS, type DeviceKind } from './device.domain.js';
import {
  DeviceDto,
  SparePoolDto,
  type CreateDeviceDto,
  type DeviceListDto,
  type DeviceQueryDto,
  type SparePoolQueryDto,
  type UpdateDeviceDto,
} from './devices.dto.js';
import { DevicesRepository, type DeviceFields } from './devices.repository.js';

/** What each device constraint means to the caller; the database enforces them all. */
const DEVICE_CONSTRAINTS: Record<string, () => Error> = {
  devices_district_asset_tag_key: () => domainError('duplicate_asset_tag'),
  devices_district_serial_number_key: () => domainError('duplicate_serial_number'),
  devices_district_imei_key: () => domainError('duplicate_imei'),
  devices_district_iccid_key: () => domainError('duplicate_iccid'),
  devices_school_fkey: () => referenceNotFound('school_not_found', 'schoolId'),
  devices_district_id_fkey: () => referenceNotFound('district_not_found', 'districtId'),
  devices_retired_is_final: () => domainError('device_retired', 'given another status'),
};

/** Chromebook fields on a hotspot (or the reverse) are a mistake worth naming, not data to keep. */
function refuseOtherKindsFields(kind: DeviceKind, fields: DeviceFields): void {
  const foreign = (names: readonly (keyof DeviceFields)[], owner: DeviceKind): FieldError[] =>
    kind === owner ? [] : names.filter((name) => fields[name] != null).map((field) => ({ field, message: `only for a ${owner}` }));
  const errors = [...foreign(CHROMEBOOK_FIELDS, 'chromebook'), ...foreign(HOTSPOT_FIELDS, 'hotspot')];
  if (errors.length) {
    throw domainError('validation_failed', errors);
  }
}

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateDeviceDto): Promise<DeviceDto> {
    const { districtId: requested, ...fields } = input;
    const districtId = districtFor(principal, requested);
    refuseOtherKindsFields(input.kind, fields);
    if (!inSchoolScope(principal, input.schoolId ?? null))
      throw referenceNotFound('school_not_found', 'schoolId', input.schoolId ?? undefined);
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const id = await this.devices.insert(tx.em, districtId, fields);
        const device = DeviceDto.from((await this.devices.findById(id, null, tx.em))!);
        tx.audit({ districtId, entityType: 'device', entityId: id, action: 'create', after: device });
        return device;
      });
    } catch (error) {
      explainConstraint(error, DEVICE_CONSTRAINTS);
    }
  }

  async get(principal: Principal, id: string): Promise<DeviceDto> {
    const device = await this.devices.findById(id, principal.districtId);
    if (!device || !inSchoolScope(principal, device.schoolId)) throw domainError('device_not_found', id);
    return DeviceDto.from(device);
  }

  async list(principal: Principal, query: DeviceQueryDto): Promise<DeviceListDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [afterId] = decodeCursor(query.cursor, 1) ?? [null];
    if (afterId !== null && !(typeof afterId === 'string' && isUuid(afterId))) {
      throw domainError('invalid_cursor');
    }
    const rows = await this.devices.list({ ...query, districtId, schoolIds: principal.schoolIds }, afterId, limit);
    const result = page(rows, limit, (row) => [row.id]);
    return { data: result.data.map((row) => DeviceDto.from(row)), nextCursor: result.nextCursor };
  }

  async update(principal: Principal, id: string, input: UpdateDeviceDto, ifMatch?: VersionCondition): Promise<DeviceDto> {
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const before = await this.devices.findById(id, principal.districtId, tx.em, { lock: true });
        if (!before || !inSchoolScope(principal, before.schoolId)) throw domainError('device_not_found', id);
        assertVersion(before.version, ifMatch);
        if (input.schoolId && !inSchoolScope(principal, input.schoolId))
          throw referenceNotFound('school_not_found', 'schoolId', input.schoolId);
        refuseOtherKindsFields(before.kind, input);
        const foundOrSettled = before.status === 'lost' || before.status === 'stolen' || before.holderUnknown;
        if (input.status !== undefined && input.status !== before.status && !foundOrSettled) {
          throw before.status === 'retired'
            ? domainError('device_retired', 'given another status', 'status')
            : domainError('status_change_not_allowed', before.status);
        }
        if (!(await this.devices.update(tx.em, id, input))) return DeviceDto.from(before);
        const after = DeviceDto.from((await this.devices.findById(id, null, tx.em))!);
        // A lost or stolen Chromebook found again is re-enabled in Google (when the district writes back).
        if ((before.status === 'lost' || before.status === 'stolen') && ['in_stock', 'assigned', 'in_repair'].includes(after.status))
          await recordWriteBacks(tx, before.districtId, [id], 'reenable', 'recover');
        tx.audit({
          districtId: before.districtId,
          entityType: 'device',
          entityId: id,
          action: 'update',
          before: DeviceDto.from(before),
          after,
        });
        return after;
      });
    } catch (error) {
      explainConstraint(error, DEVICE_CONSTRAINTS);
    }
  }

  async sparePool(principal: Principal, query: SparePoolQueryDto): Promise<SparePoolDto[]> {
    const rows = await this.devices.sparePool(districtFilter(principal, query.districtId), query.schoolId ?? null, principal.schoolIds);
    return rows.map((row) => SparePoolDto.from(row));
  }
}

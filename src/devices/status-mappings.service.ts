import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFor } from '../auth/scope.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DEFAULT_STATUS_LABELS, statusLabelKey } from './device.domain.js';
import {
  StatusMappingDto,
  type SaveStatusMappingDto,
  type StatusMappingListDto,
  type StatusMappingQueryDto,
  type UpdateStatusMappingDto,
} from './status-mappings.dto.js';
import { StatusMappingsRepository } from './status-mappings.repository.js';

const CONSTRAINTS: Record<string, () => Error> = {
  device_status_mappings_district_label_key: () => domainError('duplicate_status_mapping'),
  device_status_mappings_district_id_fkey: () => referenceNotFound('district_not_found', 'districtId'),
};

/** A district's status labels: the built-in ones, with the district's own mappings added or in their place. */
@Injectable()
export class StatusMappingsService {
  constructor(
    private readonly mappings: StatusMappingsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async list(principal: Principal, query: StatusMappingQueryDto): Promise<StatusMappingListDto> {
    const districtId = districtFor(principal, query.districtId);
    const own = await this.mappings.list(districtId);
    const overridden = new Set(own.map((m) => m.labelKey));
    const builtIn = Object.entries(DEFAULT_STATUS_LABELS)
      .filter(([key]) => !overridden.has(key))
      .map(([labelKey, m]): StatusMappingDto => ({ id: null, labelKey, ...m, source: 'built_in' }));
    const data = [...own.map((m) => StatusMappingDto.from(m)), ...builtIn].sort((a, b) => a.labelKey.localeCompare(b.labelKey));
    return { districtId, data };
  }

  /** POST: a label the district has not mapped yet (a built-in one may be overridden). */
  create(principal: Principal, input: SaveStatusMappingDto): Promise<StatusMappingDto> {
    return this.write(principal, input, 'create');
  }

  /** PUT: the district's mapping of the label, created or replaced. */
  save(principal: Principal, input: SaveStatusMappingDto): Promise<StatusMappingDto> {
    return this.write(principal, input, 'save');
  }

  async update(principal: Principal, id: string, input: UpdateStatusMappingDto): Promise<StatusMappingDto> {
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.mappings.findById(id, principal.districtId, tx.em);
      if (!before) throw domainError('status_mapping_not_found', id);
      const after = StatusMappingDto.from(
        await this.mappings.update(tx.em, id, { status: input.status, condition: input.condition ?? null }),
      );
      tx.audit({
        districtId: before.districtId,
        entityType: 'status_mapping',
        entityId: id,
        action: 'update',
        before: StatusMappingDto.from(before),
        after,
      });
      return after;
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.mappings.findById(id, principal.districtId, tx.em);
      if (!before) throw domainError('status_mapping_not_found', id);
      await this.mappings.delete(tx.em, id);
      tx.audit({
        districtId: before.districtId,
        entityType: 'status_mapping',
        entityId: id,
        action: 'delete',
        before: StatusMappingDto.from(before),
      });
    });
  }

  private async write(principal: Principal, input: SaveStatusMappingDto, mode: 'create' | 'save'): Promise<StatusMappingDto> {
    const districtId = districtFor(principal, input.districtId);
    const mapping = {
      label: input.label.trim(),
      labelKey: statusLabelKey(input.label),
      status: input.status,
      condition: input.condition ?? null,
    };
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const before = mode === 'save' ? await this.mappings.findByKey(tx.em, districtId, mapping.labelKey) : null;
        const row =
          mode === 'save' ? await this.mappings.save(tx.em, districtId, mapping) : await this.mappings.insert(tx.em, districtId, mapping);
        const after = StatusMappingDto.from(row);
        tx.audit({
          districtId,
          entityType: 'status_mapping',
          entityId: row.id,
          action: before ? 'update' : 'create',
          before: before ? StatusMappingDto.from(before) : undefined,
          after,
        });
        return after;
      });
    } catch (error) {
      explainConstraint(error, CONSTRAINTS);
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { manifestSerialErrors, MAX_REPORTED_ERRORS } from './manifest-serials.js';
import {
  ShipmentDto,
  type CreateShipmentDto,
  type ShipmentDetailDto,
  type ShipmentListDto,
  type ShipmentQueryDto,
} from './shipments.dto.js';
import { ShipmentsRepository } from './shipments.repository.js';

/** What each shipment constraint means to the caller; the database enforces them all. */
const SHIPMENT_CONSTRAINTS: Record<string, () => Error> = {
  shipments_district_reference_key: () => domainError('duplicate_shipment_reference'),
  shipments_district_id_fkey: () => referenceNotFound('district_not_found', 'districtId'),
};

/** A calendar date as the list hands it out: it must survive the round trip, so SQL's ::date cannot fail. */
const isDate = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(value)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

@Injectable()
export class ShipmentsService {
  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateShipmentDto): Promise<ShipmentDto> {
    const districtId = districtFor(principal, input.districtId);
    const errors = manifestSerialErrors(input.serialNumbers);
    if (errors.length) {
      throw domainError('validation_failed', errors.slice(0, MAX_REPORTED_ERRORS), errors.length);
    }
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const id = await this.shipments.insert(tx.em, {
          districtId,
          fundingSource: input.fundingSource,
          shippedOn: input.shippedOn,
          reference: input.reference ?? null,
          createdBy: principal.tokenId,
        });
        await this.shipments.addItems(tx.em, districtId, id, input.serialNumbers);
        const shipment = ShipmentDto.from((await this.shipments.findById(id, null, tx.em))!);
        // The items are the manifest's content, immutable once recorded: the shipment's audit entry stands for them.
        tx.audit({ districtId, entityType: 'shipment', entityId: id, action: 'create', after: shipment });
        return shipment;
      });
    } catch (error) {
      explainConstraint(error, SHIPMENT_CONSTRAINTS);
    }
  }

  async list(principal: Principal, query: ShipmentQueryDto): Promise<ShipmentListDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string]>(query.cursor, [isDate, isUuidKey]);
    const rows = await this.shipments.list({ districtId, fundingSource: query.fundingSource }, after, limit);
    const result = page(rows, limit, (row) => [row.shippedOn, row.id]);
    return { data: result.data.map((row) => ShipmentDto.from(row)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<ShipmentDetailDto> {
    const shipment = await this.shipments.findById(id, principal.districtId);
    if (!shipment) throw domainError('shipment_not_found', id);
    return { ...ShipmentDto.from(shipment), serialNumbers: await this.shipments.serialNumbers(id) };
  }
}

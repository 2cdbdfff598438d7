import { Injectable } from '@nestjs/common';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isDigits, isText, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import {
  KitDto,
  KitTemplateDto,
  type CreateKitDto,
  type CreateKitTemplateDto,
  type KitListQueryDto,
  type KitPageDto,
  type KitTemplateListQueryDto,
  type KitTemplatePageDto,
  type ReturnKitDto,
} from './kits.dto.js';
import type { KitItem } from './kit.domain.js';
import { KitsRepository } from './kits.repository.js';

/** Lines that name an item a second time; `field` is the list's name in the request. */
function repeatedItems(lines: KitItem[], field: string): FieldError[] {
  const seen = new Set<string>();
  return lines.flatMap((line, i) => {
    if (!seen.has(line.item)) {
      seen.add(line.item);
      return [];
    }
    return [{ field: `${field}[${i}].item`, message: `${line.item} is listed twice`, line: i + 1 }];
  });
}

const invalidItems = (errors: FieldError[]) => domainError('validation_failed', errors);

/** Issued minus returned, per item, in the order issued; refuses lines that were never issued or exceed it. */
function missingAfterReturn(issued: KitItem[], returned: KitItem[]): KitItem[] {
  const issuedQuantity = new Map(issued.map((line) => [line.item, line.quantity]));
  const errors = repeatedItems(returned, 'items');
  returned.forEach((line, i) => {
    const quantity = issuedQuantity.get(line.item);
    if (quantity === undefined) {
      errors.push({ field: `items[${i}].item`, message: `${line.item} is not in this kit`, line: i + 1 });
    } else if (line.quantity > quantity) {
      errors.push({ field: `items[${i}].quantity`, message: `more than the ${quantity} issued`, line: i + 1 });
    }
  });
  if (errors.length) throw invalidItems(errors);
  const returnedQuantity = new Map(returned.map((line) => [line.item, line.quantity]));
  return issued
    .map((line) => ({ item: line.item, quantity: line.quantity - (returnedQuantity.get(line.item) ?? 0) }))
    .filter((line) => line.quantity > 0);
}

@Injectable()
export class KitsService {
  constructor(
    private readonly kits: KitsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async createTemplate(principal: Principal, input: CreateKitTemplateDto): Promise<KitTemplateDto> {
    const districtId = districtFor(principal, input.districtId);
    const repeated = repeatedItems(input.items, 'items');
    if (repeated.length) throw invalidItems(repeated);
    const items = input.items.map(({ item, quantity }) => ({ item, quantity }));
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const template = KitTemplateDto.from(await this.kits.insertTemplate(tx.em, { districtId, name: input.name, items }));
        tx.audit({ districtId, entityType: 'kit_template', entityId: template.id, action: 'create', after: template });
        return template;
      });
    } catch (error) {
      explainConstraint(error, {
        kit_templates_district_name_key: () => domainError('duplicate_kit_template_name', input.name),
        kit_templates_district_id_fkey: () => referenceNotFound('district_not_found', 'districtId', districtId),
      });
    }
  }

  async listTemplates(principal: Principal, query: KitTemplateListQueryDto): Promise<KitTemplatePageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey(query.cursor, [isText, isUuidKey]);
    const after = key ? { name: key[0], id: key[1] } : null;
    const rows = await this.kits.listTemplates(districtFilter(principal, query.districtId), after, limit + 1);
    const result = page(rows, limit, (row) => [row.name, row.id]);
    return { data: result.data.map((row) => KitTemplateDto.from(row)), nextCursor: result.nextCursor };
  }

  async getTemplate(principal: Principal, id: string): Promise<KitTemplateDto> {
    const row = await this.kits.findTemplateById(id, principal.districtId);
    if (!row) throw domainError('kit_template_not_found', id);
    return KitTemplateDto.from(row);
  }

  async issue(principal: Principal, input: CreateKitDto): Promise<KitDto> {
    return this.uow.run(actorOf(principal), async (tx) => {
      const id = await this.kits.issueKit(tx.em, input.studentId, input.templateId, principal.districtId, principal.schoolIds);
      if (!id) {
        if (!(await this.kits.studentExists(tx.em, input.studentId, principal.districtId, principal.schoolIds))) {
          throw referenceNotFound('student_not_found', 'studentId', input.studentId);
        }
        throw referenceNotFound('kit_template_not_found', 'templateId', input.templateId);
      }
      const kit = KitDto.from((await this.kits.findKitById(id, null, tx.em))!);
      tx.audit({ districtId: kit.districtId, entityType: 'kit', entityId: id, action: 'issue', after: kit });
      return kit;
    });
  }

  async returnKit(principal: Principal, id: string, input: ReturnKitDto, ifMatch?: VersionCondition): Promise<KitDto> {
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.kits.findKitById(id, principal.districtId, tx.em, { lock: true, schoolIds: principal.schoolIds });
      if (!before) throw domainError('kit_not_found', id);
      assertVersion(before.version, ifMatch);
      if (before.returnedAt) {
        throw domainError('kit_already_returned', id, before.returnedAt);
      }
      const missing = missingAfterReturn(before.items, input.items);
      if (!(await this.kits.markReturned(tx.em, id, missing))) {
        throw domainError('kit_already_returned', id, null);
      }
      const after = KitDto.from((await this.kits.findKitById(id, null, tx.em))!);
      tx.audit({ districtId: before.districtId, entityType: 'kit', entityId: id, action: 'return', before: KitDto.from(before), after });
      return after;
    });
  }

  async list(principal: Principal, query: KitListQueryDto): Promise<KitPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey(query.cursor, [isDigits, isUuidKey]);
    const after = key ? { issuedAtMicros: key[0], id: key[1] } : null;
    const filter = {
      districtId: districtFilter(principal, query.districtId),
      schoolIds: principal.schoolIds,
      studentId: query.studentId,
      missing: query.missing,
    };
    const rows = await this.kits.listKits(filter, after, limit + 1);
    const result = page(rows, limit, (row) => [row.issuedAtKey, row.id]);
    return { data: result.data.map((row) => KitDto.from(row)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<KitDto> {
    const row = await this.kits.findKitById(id, principal.districtId, undefined, { schoolIds: principal.schoolIds });
    if (!row) throw domainError('kit_not_found', id);
    return KitDto.from(row);
  }
}

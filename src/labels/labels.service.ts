import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { inSchoolScope } from '../auth/scope.js';
import type { Principal } from '../auth/principal.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound, referencesNotFound } from '../common/errors/error-codes.js';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import { renderLabelSheets } from './label-sheet.renderer.js';
import { DEFAULT_LABEL_LINE, LABEL_TEMPLATES, labelsPerPage, maxAssetTagLength } from './labels.domain.js';
import type { LabelsRequestDto } from './labels.dto.js';
import { LabelsRepository, type LabelProblem, type LabelSelection } from './labels.repository.js';

/** A label sheet on its way out: the PDF stream (written as it is read) and what to call the file. */
export interface LabelPdf {
  filename: string;
  labels: number;
  pages: number;
  stream: Readable;
}

const SELECTORS = ['deviceIds', 'schoolId', 'shipmentId'] as const;
const MAX_ERRORS_LISTED = 100;

const REASONS: Record<LabelProblem['reason'], (problem: LabelProblem, maxLength: number) => string> = {
  not_found: () => 'no such device in this district',
  no_asset_tag: (p) => `device ${p.deviceId} (serial ${p.serialNumber}) has no asset tag`,
  not_printable: (p) => `device ${p.deviceId} (serial ${p.serialNumber}): the asset tag has characters other than printable ASCII`,
  too_long: (p, max) => `device ${p.deviceId} (serial ${p.serialNumber}): the asset tag is longer than ${max} characters`,
};

@Injectable()
export class LabelsService {
  private readonly logger = new Logger('labels');

  constructor(private readonly labels: LabelsRepository) {}

  /**
   * Checks the whole selection first (every named device the caller's, every tag printable), so a
   * refusal is a problem answer and never a half-written PDF; then streams the sheets.
   */
  async render(principal: Principal, input: LabelsRequestDto): Promise<LabelPdf> {
    const template = LABEL_TEMPLATES[input.template];
    const perPage = labelsPerPage(template);
    const start = (input.startPosition ?? 1) - 1;
    const errors: FieldError[] = [];
    const given = SELECTORS.filter((field) => input[field] !== undefined);
    if (given.length !== 1) {
      const message = 'give exactly one of deviceIds, schoolId, shipmentId';
      errors.push(...(given.length ? given : SELECTORS).map((field) => ({ field, message })));
    }
    if (start >= perPage) errors.push({ field: 'startPosition', message: `must be between 1 and ${perPage} on ${template.name}` });
    (input.deviceIds ?? []).forEach((id, i) => {
      if (typeof id !== 'string' || !isUuid(id)) errors.push({ field: `deviceIds[${i}]`, message: 'must be a UUID' });
    });
    if (errors.length) throw domainError('validation_failed', errors.slice(0, MAX_ERRORS_LISTED), errors.length);

    const selection = await this.select(principal, input);
    const maxLength = maxAssetTagLength(template);
    const problems = await this.labels.problems(selection, maxLength);
    const missing = problems.filter((p) => p.reason === 'not_found');
    if (missing.length) {
      throw referencesNotFound(
        'device_not_found',
        missing.map((p) => `deviceIds[${p.index}]`),
        missing[0].missingTotal,
      );
    }
    if (problems.length) {
      const field = (p: LabelProblem): string => (p.index !== null ? `deviceIds[${p.index}]` : given[0]);
      throw domainError(
        'labels_not_printable',
        problems.map((p) => ({ field: field(p), message: REASONS[p.reason](p, maxLength) })),
        problems[0].total,
        template.name,
        maxLength,
      );
    }
    const labels = await this.labels.count(selection);
    if (!labels) throw domainError('no_devices_to_label', selection.kind === 'school' ? 'schoolId' : 'shipmentId');

    const pages = Math.ceil((labels + start) / perPage);
    this.logger.log(
      { template: template.name, selection: selection.kind, labels, pages, districtId: principal.districtId },
      'label sheets',
    );
    const line = input.line ?? DEFAULT_LABEL_LINE;
    return {
      filename: `asset-labels-${template.name}-${new Date().toISOString().slice(0, 10)}.pdf`,
      labels,
      pages,
      stream: renderLabelSheets({ template, start, line }, this.labels.pages(selection, maxLength)),
    };
  }

  /** The devices the request names, as far as the caller may see them; a school or shipment it cannot see is absent. */
  private async select(principal: Principal, input: LabelsRequestDto): Promise<LabelSelection> {
    if (input.schoolId !== undefined) {
      const districtId = inSchoolScope(principal, input.schoolId)
        ? await this.labels.schoolDistrict(input.schoolId, principal.districtId)
        : null;
      if (!districtId) throw referenceNotFound('school_not_found', 'schoolId', input.schoolId);
      return { kind: 'school', schoolId: input.schoolId, districtId };
    }
    if (input.shipmentId !== undefined) {
      // Manifests are district records, like the shipment routes themselves.
      if (principal.schoolIds !== null) throw domainError('outside_school_scope');
      const districtId = await this.labels.shipmentDistrict(input.shipmentId, principal.districtId);
      if (!districtId) throw referenceNotFound('shipment_not_found', 'shipmentId', input.shipmentId);
      return { kind: 'shipment', shipmentId: input.shipmentId, districtId };
    }
    return {
      kind: 'devices',
      deviceIds: (input.deviceIds as string[]).map((id) => id.toLowerCase()),
      districtId: principal.districtId,
      schoolIds: principal.schoolIds,
    };
  }
}

import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { basename, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type ZipLimits } from '../config/app-config.js';
import type { Actor } from '../common/actor.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import {
  cursorKey,
  DEFAULT_PAGE_SIZE,
  isDigits,
  isText,
  isTimestamp,
  isUuidKey,
  page,
  type PageQueryDto,
} from '../common/http/pagination.js';
import { FOREIGN_KEY_VIOLATION, violatedConstraint } from '../database/pg-errors.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { QueueService } from '../queue/queue.service.js';
import type { ReportFormat } from '../common/http/response-format.js';
import { importErrorsCsv } from './import-errors.presenter.js';
import { ImportLifecycle } from './import-lifecycle.js';
import { ImportMappings } from './import-mappings.js';
import { checkImportFile, type FileCheck, type ImportKind } from './import-plan.js';
import {
  ImportAcceptedDto,
  type ConfirmImportDto,
  ImportDto,
  ImportErrorDto,
  ImportErrorPageDto,
  ImportListDto,
  ImportSummaryDto,
  SuggestionDto,
  SuggestionPageDto,
  WithdrawalDto,
  WithdrawalPageDto,
  type CreateImportDto,
  type ImportQueryDto,
} from './imports.dto.js';
import { ImportsRepository, type ImportRow, type NewImport } from './imports.repository.js';
import { ImportFileError } from './parsing/file-error.js';

/** A CSV download made as it is sent: its name and its text, a page of rows at a time. */
export interface CsvStream {
  filename: string;
  chunks: AsyncIterable<string>;
}

/** Rows read per query while a CSV of row errors is streamed. */
const CSV_PAGE_SIZE = 1000;

/** What multer stored for the upload: the file is on disk already, streamed there. */
export interface StoredUpload {
  path: string;
  originalname: string;
  size: number;
}

/** The bytes of a file, or of the files of a folder (a OneRoster folder a connector wrote). */
async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(path)) total += (await stat(join(path, name))).size;
  return total;
}

/** A cursor holding the id of the last row of a page (row errors, suggestions). */
const idCursor = (cursor: string | undefined): string | null => cursorKey<[string]>(cursor, [isDigits])?.[0] ?? null;

/** A cursor holding the (created_at, id) of the last import of a page. */
const listCursor = (cursor: string | undefined): [string, string] | null => cursorKey<[string, string]>(cursor, [isTimestamp, isUuidKey]);

/**
 * The file's format, encoding and headers, checked as it arrives: a file that cannot be imported is
 * refused at once (422 naming each problem), and nothing is recorded.
 */
async function checkFile(
  kind: ImportKind,
  path: string,
  fileName: string,
  limits: ZipLimits,
  mappings: ImportMappings,
  districtId: string,
): Promise<FileCheck> {
  try {
    return await checkImportFile(kind, path, fileName, limits, (plan) => mappings.apply(plan, districtId, kind));
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    const errors = error.errors.length
      ? error.errors.map((e) => ({ field: e.field ?? 'file', line: e.line, message: e.part ? `${e.part}: ${e.message}` : e.message }))
      : [{ field: 'file', message: error.message }];
    throw domainError('import_file_refused', error.message, errors);
  }
}

@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly uow: UnitOfWork,
    private readonly queues: QueueService,
    private readonly lifecycle: ImportLifecycle,
    private readonly mappings: ImportMappings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records an uploaded file as a queued import; its job is added once the row is committed. */
  async create(principal: Principal, input: CreateImportDto, file: StoredUpload | undefined): Promise<ImportAcceptedDto> {
    try {
      if (!file) {
        throw domainError('validation_failed', [{ field: 'file', message: 'is required' }]);
      }
      if (file.size === 0) throw domainError('validation_failed', [{ field: 'file', message: 'is empty' }]);
      const districtId = districtFor(principal, input.districtId);
      const fileName = (basename(file.originalname || 'upload') || 'upload').slice(0, 255);
      // An unknown district is named before the file is read.
      if (!(await this.imports.findDistrict(districtId))) throw referenceNotFound('district_not_found', 'districtId', districtId);
      const check = await checkFile(input.kind, file.path, fileName, this.config.zipLimits, this.mappings, districtId);
      const id = await this.record(actorOf(principal), {
        districtId,
        kind: input.kind,
        origin: 'upload',
        fileName,
        filePath: file.path,
        fileOwned: true,
        fileSize: file.size,
        requestedBy: principal.tokenId,
        warnings: check.warnings,
        inputFormat: check.format,
        dryRun: input.dryRun ?? false,
      });
      return { id, status: 'queued' };
    } catch (error) {
      // A rejected upload leaves nothing behind, on disk either.
      if (file) await rm(file.path, { force: true });
      throw error;
    }
  }

  /**
   * Records an import of a local file for the command line, which then runs it in-process. The
   * district may be given by id or by code; the file stays where it is and is not deleted.
   */
  async createLocal(district: string, kind: ImportKind, path: string, dryRun = false): Promise<string> {
    const districtId = await this.imports.findDistrict(district);
    if (!districtId) throw domainError('district_not_found', district, 'id or code');
    const filePath = resolve(path);
    const { size } = await stat(filePath);
    const fileName = basename(filePath).slice(0, 255);
    const check = await checkFile(kind, filePath, fileName, this.config.zipLimits, this.mappings, districtId);
    return this.record(
      { tokenId: null, name: 'import-cli' },
      {
        districtId,
        kind,
        origin: 'cli',
        fileName,
        filePath,
        fileOwned: false,
        fileSize: size,
        requestedBy: null,
        warnings: check.warnings,
        inputFormat: check.format,
        dryRun,
      },
      false,
    );
  }

  /**
   * Records an import of a file a connector wrote from the pages it fetched (JSON or a OneRoster zip);
   * the connector runs it in its own job, through the same runner as an upload. The file is the
   * import's: it is deleted once the import ends.
   */
  async createFromConnector(
    actor: Actor,
    districtId: string,
    kind: ImportKind,
    path: string,
    fileName: string,
    recorded: (tx: Tx, importId: string) => Promise<void>,
  ): Promise<string> {
    const size = await sizeOf(path);
    const check = await checkFile(kind, path, fileName, this.config.zipLimits, this.mappings, districtId);
    return this.record(
      actor,
      {
        districtId,
        kind,
        origin: 'connector',
        fileName,
        filePath: path,
        fileOwned: true,
        fileSize: size,
        requestedBy: actor.tokenId,
        warnings: check.warnings,
        inputFormat: check.format,
        dryRun: false,
      },
      false,
      recorded,
    );
  }

  private async record(
    actor: Actor,
    input: NewImport,
    enqueue = true,
    recorded?: (tx: Tx, importId: string) => Promise<void>,
  ): Promise<string> {
    try {
      return await this.uow.run(actor, async (tx) => {
        const id = await this.imports.insert(tx.em, input);
        tx.audit({
          districtId: input.districtId,
          entityType: 'import',
          entityId: id,
          action: 'create',
          after: { kind: input.kind, origin: input.origin, fileName: input.fileName, fileSize: input.fileSize, dryRun: input.dryRun },
        });
        // The job id is the import's: a job added twice for one import is one job.
        if (enqueue) tx.enqueue(this.queues.job('imports', 'import.run', { importId: id }, { jobId: id }));
        if (recorded) await recorded(tx, id);
        return id;
      });
    } catch (error) {
      if (violatedConstraint(error, FOREIGN_KEY_VIOLATION) === 'imports_district_id_fkey')
        throw referenceNotFound('district_not_found', 'districtId', input.districtId);
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<ImportDto> {
    const row = await this.visible(principal, id);
    return { ...ImportSummaryDto.from(row), errors: await this.errorPage(row, { limit: DEFAULT_PAGE_SIZE }) };
  }

  async list(principal: Principal, query: ImportQueryDto): Promise<ImportListDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.imports.list({ districtId, kind: query.kind, status: query.status }, limit + 1, listCursor(query.cursor));
    const result = page(rows, limit, (r) => [r.createdAtKey, r.id]);
    return { data: result.data.map((r) => ImportSummaryDto.from(r)), nextCursor: result.nextCursor };
  }

  /** A page of row errors, or (CSV) every one, read a page at a time as the download is sent. */
  async errors(principal: Principal, id: string, query: PageQueryDto, format: ReportFormat): Promise<ImportErrorPageDto | CsvStream> {
    const row = await this.visible(principal, id);
    if (format === 'json') return this.errorPage(row, query);
    const errorPage = (q: PageQueryDto) => this.errorPage(row, q);
    async function* pages(): AsyncGenerator<ImportErrorDto[]> {
      let cursor: string | undefined;
      do {
        const next = await errorPage({ limit: CSV_PAGE_SIZE, cursor });
        yield next.data;
        cursor = next.nextCursor ?? undefined;
      } while (cursor);
    }
    return { filename: `import-${row.id}-errors.csv`, chunks: importErrorsCsv(pages()) };
  }

  async suggestions(principal: Principal, id: string, query: PageQueryDto): Promise<SuggestionPageDto> {
    await this.visible(principal, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.imports.suggestions(id, limit + 1, idCursor(query.cursor));
    const result = page(rows, limit, (r) => [r.id]);
    return { data: result.data.map((r) => SuggestionDto.from(r)), nextCursor: result.nextCursor };
  }

  /** The students a bulk roster withdrew, or would withdraw (a dry run, or one awaiting confirmation). */
  async withdrawals(principal: Principal, id: string, query: PageQueryDto): Promise<WithdrawalPageDto> {
    await this.visible(principal, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string]>(query.cursor, [isText])?.[0] ?? null;
    const rows = await this.imports.withdrawals(id, limit + 1, after);
    const result = page(rows, limit, (r) => [r.sourcedId]);
    return { data: result.data.map((r) => WithdrawalDto.from(r)), nextCursor: result.nextCursor };
  }

  /** An admin confirms the withdrawals of a bulk roster that stopped for them: they are applied, and it completes. */
  async confirm(principal: Principal, id: string, input: ConfirmImportDto): Promise<ImportSummaryDto> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const row = await this.imports.lockForConfirmation(tx.em, id, principal.districtId);
      if (!row) throw domainError('import_not_found', id);
      if (row.status !== 'needs_confirmation') throw domainError('import_not_awaiting_confirmation', row.status);
      await this.lifecycle.confirm(tx, row, tx.requestId, input.note ?? null);
    });
    return ImportSummaryDto.from((await this.imports.findById(id, principal.districtId))!);
  }

  /** Row errors of JSON input name the item, of CSV the line. */
  private async errorPage(row: ImportRow, query: PageQueryDto): Promise<ImportErrorPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.imports.errors(row.id, limit + 1, idCursor(query.cursor));
    const result = page(rows, limit, (r) => [r.id]);
    const unit = row.inputFormat === 'json' ? 'item' : 'line';
    return { data: result.data.map((r) => ImportErrorDto.from(r, unit)), nextCursor: result.nextCursor };
  }

  /** The import, if the caller's district may see it; another district's is answered as absent. */
  private async visible(principal: Principal, id: string): Promise<ImportRow> {
    const row = await this.imports.findById(id, principal.districtId);
    if (!row) throw domainError('import_not_found', id);
    return row;
  }
}

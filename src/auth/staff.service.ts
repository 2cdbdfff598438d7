import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, cursorKey, isTimestamp, isUuidKey, page } from '../common/http/pagination.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, violatedConstraint } from '../database/pg-errors.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import type { Principal } from './principal.js';
import { actorOf, districtFilter, districtFor } from './scope.js';
import { SessionsRepository } from './sessions.repository.js';
import { DISTRICT_GRANTABLE, endsSessions, normalizeEmail, type StaffUser } from './staff.domain.js';
import {
  StaffUserDto,
  type CreateStaffUserDto,
  type StaffListQueryDto,
  type StaffUserPageDto,
  type UpdateStaffUserDto,
} from './staff.dto.js';
import { StaffRepository } from './staff.repository.js';
import { TokenCache } from './token-cache.js';

@Injectable()
export class StaffService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly sessions: SessionsRepository,
    private readonly uow: UnitOfWork,
    private readonly tokenCache: TokenCache,
  ) {}

  async create(principal: Principal, input: CreateStaffUserDto): Promise<StaffUserDto> {
    this.assertGrantable(principal, input.role);
    if (input.role === 'state_admin' && (input.districtId || input.schoolIds)) {
      throw domainError('validation_failed', [
        { field: input.districtId ? 'districtId' : 'schoolIds', message: 'must be absent for role state_admin' },
      ]);
    }
    const districtId = input.role === 'state_admin' ? null : districtFor(principal, input.districtId);
    return this.write(principal, districtId, async (tx) => {
      if (districtId && input.schoolIds) await this.assertSchoolsOf(tx, districtId, input.schoolIds);
      const user = await this.staff.insert(tx.em, {
        email: normalizeEmail(input.email),
        name: input.name,
        role: input.role,
        districtId,
        schoolIds: input.schoolIds ? [...new Set(input.schoolIds)] : null,
      });
      const after = StaffUserDto.from(user);
      tx.audit({ districtId, entityType: 'staff_user', entityId: user.id, action: 'create', after });
      return after;
    });
  }

  async list(principal: Principal, query: StaffListQueryDto): Promise<StaffUserPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey<[string, string]>(query.cursor, [isTimestamp, isUuidKey]);
    const rows = await this.staff.list(
      { districtId: districtFilter(principal, query.districtId), active: query.active, email: query.email },
      key ? { createdAt: key[0], id: key[1] } : null,
      limit + 1,
    );
    const result = page(rows, limit, (u) => [u.sortKey, u.id]);
    return { data: result.data.map((u) => StaffUserDto.from(u)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<StaffUserDto> {
    const user = await this.staff.findById(id, principal.districtId);
    if (!user) throw domainError('staff_user_not_found', id);
    return StaffUserDto.from(user);
  }

  async update(principal: Principal, id: string, input: UpdateStaffUserDto): Promise<StaffUserDto> {
    if (input.role) this.assertGrantable(principal, input.role);
    let changed: StaffUser | null = null;
    const result = await this.write(principal, principal.districtId, async (tx) => {
      const before = await this.staff.findById(id, principal.districtId, tx.em, true);
      if (!before) throw domainError('staff_user_not_found', id);
      if (input.role && (input.role === 'state_admin') !== (before.role === 'state_admin')) {
        throw domainError('validation_failed', [
          { field: 'role', message: 'a state admin account and a district account are not interchangeable; create a new account' },
        ]);
      }
      // Confining oneself would end one's session and shut one out of the settings where it is undone.
      if (
        input.schoolIds !== undefined &&
        id === principal.staffUserId &&
        JSON.stringify(input.schoolIds) !== JSON.stringify(before.schoolIds)
      ) {
        throw domainError('validation_failed', [
          { field: 'schoolIds', message: 'your own school scope is changed by another administrator' },
        ]);
      }
      if (input.schoolIds && before.districtId) await this.assertSchoolsOf(tx, before.districtId, input.schoolIds);
      if (input.schoolIds && !before.districtId) {
        throw domainError('validation_failed', [{ field: 'schoolIds', message: 'a state admin has no school scope' }]);
      }
      const after = await this.staff.update(tx.em, id, {
        email: input.email === undefined ? undefined : normalizeEmail(input.email),
        name: input.name,
        role: input.role,
        schoolIds: input.schoolIds === undefined ? undefined : input.schoolIds && [...new Set(input.schoolIds)],
        active: input.active,
      });
      // What the person may see changed: sessions opened under the old rules end now (tokens check the owner live).
      if (endsSessions(before, after)) {
        await this.sessions.deleteAllOf(tx.em, { staffUserId: id, apiTokenId: null });
        changed = after;
      }
      const dto = StaffUserDto.from(after);
      tx.audit({
        districtId: before.districtId,
        entityType: 'staff_user',
        entityId: id,
        action: 'update',
        before: StaffUserDto.from(before),
        after: dto,
      });
      return dto;
    });
    if (changed) this.tokenCache.forgetStaffUser(id);
    return result;
  }

  /** A district admin may give any role up to their own; only a state admin makes state admins. */
  private assertGrantable(principal: Principal, role: StaffUser['role']): void {
    if (principal.role !== 'state_admin' && !DISTRICT_GRANTABLE.includes(role)) {
      throw domainError('role_not_allowed', principal.role, `give the role ${role}`);
    }
  }

  private async assertSchoolsOf(tx: Tx, districtId: string, schoolIds: string[]): Promise<void> {
    const foreign = await this.staff.foreignSchools(tx.em, districtId, schoolIds);
    if (foreign.length) throw referenceNotFound('school_not_found', 'schoolIds', foreign[0]);
  }

  private async write<T>(principal: Principal, districtId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(actorOf(principal), fn);
    } catch (error) {
      if (violatedConstraint(error, UNIQUE_VIOLATION) === 'staff_users_email_key') throw domainError('duplicate_staff_email');
      if (violatedConstraint(error, FOREIGN_KEY_VIOLATION))
        throw referenceNotFound('district_not_found', 'districtId', districtId ?? undefined);
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { districtFilter } from '../auth/scope.js';
import { DEVICE_READERS } from '../devices/device-roles.js';
import { DeviceHitDto, StudentHitDto, type SearchQueryDto, type SearchResultDto } from './search.dto.js';
import { SearchRepository } from './search.repository.js';

const DEFAULT_HITS = 8;

@Injectable()
export class SearchService {
  constructor(private readonly search: SearchRepository) {}

  /** Students for every role, devices for the roles that may see them; both within the caller's district and schools. */
  async find(principal: Principal, query: SearchQueryDto): Promise<SearchResultDto> {
    const scope = { districtId: districtFilter(principal, query.districtId), schoolIds: principal.schoolIds };
    const text = query.q.trim();
    const limit = query.limit ?? DEFAULT_HITS;
    if (!text) return { students: [], devices: [] };
    const [students, devices] = await Promise.all([
      this.search.students(scope, text, limit),
      DEVICE_READERS.includes(principal.role) ? this.search.devices(scope, text, limit) : Promise.resolve([]),
    ]);
    return { students: students.map((row) => StudentHitDto.from(row)), devices: devices.map((row) => DeviceHitDto.from(row)) };
  }
}

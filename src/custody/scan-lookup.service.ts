import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { districtFilter } from '../auth/scope.js';
import { ScannedDeviceDto, ScannedStudentDto, type ScanLookupDto, type ScanLookupQueryDto } from './scan-lookup.dto.js';
import { ScanLookupRepository } from './scan-lookup.repository.js';

/** The distribution station's scan: what a scanned code names, in one round trip, within the caller's scope. */
@Injectable()
export class ScanLookupService {
  constructor(private readonly lookup: ScanLookupRepository) {}

  async find(principal: Principal, query: ScanLookupQueryDto): Promise<ScanLookupDto> {
    const districtId = districtFilter(principal, query.districtId);
    const code = query.code.trim();
    // Only a district caller can be holding another district's tag; a school-scoped one's other schools are not "another district".
    const { students, devices, otherDistrict } = await this.lookup.find(districtId, principal.schoolIds, principal.districtId, code);
    return {
      students: students.map((s) => ScannedStudentDto.from(s)),
      devices: devices.map((d) => ScannedDeviceDto.from(d)),
      otherDistrict,
    };
  }
}

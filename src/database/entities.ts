import { ApiTokenEntity } from '../auth/api-token.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';

/** Every entity, listed by hand like the migrations. */
export const ENTITIES = [ApiTokenEntity, AuditEventEntity];

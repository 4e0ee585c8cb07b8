// Audit log entries.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { AuditEntry, AuditQuery } from '../model/audit.ts';

export interface AuditLogRepo {
  insert(e: AuditEntry): Promise<void>;
  list(guildId: string, q: AuditQuery): Promise<AuditEntry[]>;
  deleteBefore(id: string): Promise<void>;
}

/** The audit log (`audit_log`): who did what to whose record, and why. */
import type { AuditEntry } from '../../types/volunteer';
import { newId, type TxDocs } from './db';

/** Append an audit entry in the caller's transaction (it exists exactly when the change commits). */
export async function audit(t: TxDocs, entry: Omit<AuditEntry, '_id'>): Promise<void> {
  await t.set('audit_log', newId(), entry as unknown as Record<string, unknown>);
}

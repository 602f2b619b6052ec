-- SPDX-License-Identifier: MIT
-- 0009_maintenance (PostgreSQL): what the maintenance jobs look up. Both partial, so only the rows
-- they are about are indexed: snoozed conversations (the overdue-snooze sweep, a safety net for
-- snoozes set before their wake-up job existed) and finished jobs (pruned after EVENT_RETENTION,
-- oldest first). Events need no index: they are pruned oldest id first, and ids follow time.
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed';
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE status IN ('done', 'failed', 'canceled');

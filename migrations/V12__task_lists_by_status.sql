-- Task lists filtered by status (mesh.tasks.list {status}, GET /api/tasks?status=..., in every
-- order) read one range of an index whose first column is the status. Before, the list orders'
-- indexes did not hold the status, so listing the few queued tasks of a mesh with a long history
-- walked past every completed one: 53 ms for one queued task among 225,000 (a parallel scan of the
-- table), growing with the history. Unfiltered lists read one short range per status and merge them
-- (task/EveryStatus.java), so these indexes replace the old ones instead of adding to the projector's
-- writes: same count, each entry a status wider. Built without CONCURRENTLY: writes to tasks wait
-- while they are built, a few seconds for a million tasks.
DROP INDEX IF EXISTS tasks_list_order;
DROP INDEX IF EXISTS tasks_newest_first;
DROP INDEX IF EXISTS tasks_updated_first;
-- A rebuild that stopped half way may have recorded the old definitions to create them again.
DELETE FROM rebuild_deferred_index
WHERE name IN ('tasks_list_order', 'tasks_newest_first', 'tasks_updated_first');
CREATE INDEX tasks_list_order ON tasks (status, priority DESC, created_at ASC, submitted_seq ASC);
CREATE INDEX tasks_newest_first ON tasks (status, submitted_seq);
CREATE INDEX tasks_updated_first ON tasks (status, last_seq);

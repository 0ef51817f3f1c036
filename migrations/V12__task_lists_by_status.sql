-- Task lists filtered by status (mesh.tasks.list {status}, GET /api/tasks?status=..., in every
-- order) read one range of an index whose first column is the status. Before, the list orders'
-- indexes did not hold the status, so listing the few queued tasks of a mesh with a long history
-- walked past every completed one: 53 ms for one queued task among 225,000 (a parallel scan of the
-- table), growing with the history. Unfiltered lists read one short range per status and merge them
-- (task/EveryStatus.java), so these indexes replace the old ones instead of adding to the
-- projector's writes: same count, each entry a status wider.
--
-- The whole migration holds tasks locked, from its first statement to its commit: readers and
-- writers wait (0.7 s for 225,000 tasks on the benchmark machine, so a few seconds for a million).
-- Taking the strongest lock first is what keeps it from deadlocking with an orchestrator of the
-- previous version still projecting (a rolling upgrade): building an index first and asking for
-- the stronger lock after would wait behind a projector's read while the projector's write waits
-- behind the index build. Such an orchestrator, until it is replaced, reads its unfiltered lists
-- by sorting the table.
LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE;

CREATE INDEX tasks_list_order_v12 ON tasks (status, priority DESC, created_at ASC, submitted_seq ASC);
CREATE INDEX tasks_newest_first_v12 ON tasks (status, submitted_seq);
CREATE INDEX tasks_updated_first_v12 ON tasks (status, last_seq);
DROP INDEX IF EXISTS tasks_list_order;
DROP INDEX IF EXISTS tasks_newest_first;
DROP INDEX IF EXISTS tasks_updated_first;
ALTER INDEX tasks_list_order_v12 RENAME TO tasks_list_order;
ALTER INDEX tasks_newest_first_v12 RENAME TO tasks_newest_first;
ALTER INDEX tasks_updated_first_v12 RENAME TO tasks_updated_first;
-- A rebuild that stopped half way may have recorded the old definitions to create them again.
DELETE FROM rebuild_deferred_index
WHERE name IN ('tasks_list_order', 'tasks_newest_first', 'tasks_updated_first');

-- An unfiltered list merges the statuses the code knows (EveryStatus): a row with any other status
-- would never be listed, so none may exist. TaskListPlanIT compares this list with TaskStatus.
ALTER TABLE tasks ADD CONSTRAINT tasks_status_known
    CHECK (status IN ('queued', 'claimed', 'running', 'completed', 'failed', 'released', 'cancelled'));

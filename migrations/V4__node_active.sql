-- The tasks each node holds (claimed or running): one row per node, kept by the projector in the
-- same transaction as the tasks. A claim asks it whether the node is busy. Its rows are updated in
-- place (no indexed column changes, and the pages keep room: fillfactor), so a lookup costs the
-- same however many tasks the node has held. The index it replaces, over tasks.owner for held
-- tasks, kept an entry for every claim and start until VACUUM, and claims slowed down with the
-- node's history.
CREATE TABLE node_active (
    node_id   text PRIMARY KEY,
    task_ids  text[] NOT NULL
) WITH (fillfactor = 50);

INSERT INTO node_active (node_id, task_ids)
SELECT owner, array_agg(task_id ORDER BY task_id)
FROM tasks
WHERE status IN ('claimed', 'running') AND owner IS NOT NULL
GROUP BY owner;

-- The timers find held tasks through tasks_budget_deadline (same predicate).
DROP INDEX tasks_active_owner;

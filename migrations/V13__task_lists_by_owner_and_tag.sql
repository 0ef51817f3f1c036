-- Task lists filtered by owner or by tag (mesh.tasks.list {owner} / {tag}, GET /api/tasks?owner=
-- and ?tag=) read the matching tasks through an index instead of walking the whole history. Before,
-- nothing indexed either column, so a list by an owner or a tag with few tasks read every task: over
-- 300,000 completed tasks, five of them by one owner and with one tag, those lists took 170 and
-- 155 ms (a parallel scan of the table on both cores; EXPLAIN ANALYZE), growing with the history.
--
-- The owner's index carries the list order after the owner and the status, so a list in that order
-- reads a page per status (task/EveryStatus.java merges them, as for the status lists). Tasks never
-- claimed have no owner and are left out. The tags get a GIN index (tags @> ARRAY[tag]): a list by
-- tag reads the tasks that have it and sorts them.
--
-- Both serve readers only: the projector never reads them, and a rebuild drops them while it
-- projects and builds them at the end (TaskProjection.TABLES). The price is one more index entry per
-- task row the projector writes (docs/benchmarks-history.md, 2026-12-07 afternoon).
CREATE INDEX tasks_by_owner ON tasks (owner, status, priority DESC, created_at ASC, submitted_seq ASC)
    WHERE owner IS NOT NULL;
CREATE INDEX tasks_by_tag ON tasks USING gin (tags);

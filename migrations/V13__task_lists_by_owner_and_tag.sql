-- Task lists filtered by owner or by tag (mesh.tasks.list {owner} / {tag}, GET /api/tasks?owner=
-- and ?tag=) read the matching tasks through an index instead of walking the whole history. Before,
-- nothing indexed either column, so a list by an owner or a tag with few tasks read every task: over
-- 300,000 completed tasks, five of them by one owner and with one tag, those lists took 170 and
-- 155 ms (a parallel scan of the table on both cores; EXPLAIN ANALYZE), growing with the history.
--
-- Both are kept small, for the projector writes an entry into each for every row version of a task
-- they hold (a task's update is never a HOT one). The owner's index holds the owner and the status
-- only, and tasks never claimed (no owner) are left out: a list by owner reads that owner's tasks of
-- a status and sorts them, and for an owner with a long history the planner may walk the list order
-- instead, as before. The tags' GIN index leaves out the tasks without a tag (the condition the
-- queries repeat, task/TaskQueries.TAGGED). A first version, with the whole list order in the
-- owner's index and every task in the tags' index, cost the projector 9-28 % of its speed
-- (docs/benchmarks-history.md, 2026-12-07 13:20-14:35).
--
-- Both serve readers only: the projector never reads them, and a rebuild drops them while it
-- projects and builds them at the end (TaskProjection.TABLES).
CREATE INDEX tasks_by_owner ON tasks (owner, status) WHERE owner IS NOT NULL;
CREATE INDEX tasks_by_tag ON tasks USING gin (tags) WHERE cardinality(tags) > 0;

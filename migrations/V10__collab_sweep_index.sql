-- The collaboration sweep asks every few seconds for queued tasks with a collaboration spec and no
-- session yet (a crash between the task's submission and its session's creation). Its WHERE clause
-- is this index's predicate, word for word, so the planner takes the index even when the table has
-- never been analysed (a Postgres without autovacuum, or a table filled faster than it runs):
-- with tasks_collab_session alone it was estimated to match most rows, and each sweep scanned the
-- whole table: sampling pg_stat_activity every 20 ms found a backend running it in 122 samples
-- (about 2.4 s) of one benchmark phase with 100,000 tasks queued, on a 2-core machine whose claims
-- it competed with. The index holds only queued collaboration tasks, so other tasks never write to
-- it. Built without CONCURRENTLY, as every migration here: on a large tasks table, the projector
-- waits for the build when an orchestrator of this version first starts.
CREATE INDEX tasks_collab_waiting ON tasks (collab_session_id)
    WHERE collab_session_id IS NOT NULL AND status = 'queued';

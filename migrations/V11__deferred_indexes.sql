-- Indexes that `jetmesh rebuild` has dropped while it projects, to create them again when it is done
-- (docs/operations.md, "Rebuilding the read models"): with them in place, every task event adds an
-- entry to each full index over tasks (a status change is not a HOT update), and building an index
-- once at the end costs a fraction of that. A row is written in the transaction that drops its
-- index and deleted in the one that creates it again, so each index is always either in place or
-- here. Rows left by a rebuild that stopped half way are created first by whoever next takes the
-- projector's lock (an orchestrator, or the next rebuild). The code: projection/DeferredIndexes.
CREATE TABLE rebuild_deferred_index (
    name        text PRIMARY KEY,
    table_name  text        NOT NULL,
    -- pg_get_indexdef: CREATE INDEX ... ON <schema>.<table> ..., run as is to create it again
    definition  text        NOT NULL,
    dropped_at  timestamptz NOT NULL DEFAULT now()
);

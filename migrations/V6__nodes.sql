-- jetmesh read models, version 6: worker nodes (docs/architecture.md, "Liveness: events on a change
-- of state"). The columns up to last_seq are projected from the node events and rebuilt from the
-- stream; last_seen, current_task and health are liveness, written in place by the health beats
-- (mesh.health.<node>) and by no event: like task_liveness, they are not history and are not
-- rebuilt (a rebuild starts them at the node's join; its next beat fills them in).
CREATE TABLE nodes (
    node_id         text PRIMARY KEY,
    -- joined, stale or removed
    status          text        NOT NULL,
    providers       text[]      NOT NULL,
    capabilities    text[]      NOT NULL,
    host            jsonb,
    token_id        text,
    -- null for a node removed without ever joining
    joined_at       timestamptz,
    stale_since     timestamptz,
    removed_at      timestamptz,
    removed_by      text,
    removed_reason  text,
    -- stream sequence of the last event applied: the expected sequence of the sweep's decisions
    last_seq        bigint      NOT NULL,
    last_seen       timestamptz,
    current_task    text,
    health          jsonb
-- Every beat rewrites its row: no index covers the liveness columns and the pages keep room, so
-- the update stays on its page (HOT). The few rows are scanned by the sweep.
) WITH (fillfactor = 50);

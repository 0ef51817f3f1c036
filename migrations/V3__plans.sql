-- jetmesh read models, version 3: plans and their subtasks (docs/plans.md).
-- Rebuilt from the MESH_EVENTS stream by the projector; the plan reactor decides from these rows.

CREATE TABLE plans (
    plan_id               text PRIMARY KEY,
    parent_task_id        text        NOT NULL,
    title                 text        NOT NULL,
    status                text        NOT NULL,
    requires_approval     boolean     NOT NULL,
    total_subtasks        integer     NOT NULL,
    estimated_waves       integer     NOT NULL,
    total_budget_minutes  integer     NOT NULL,
    -- set when the plan completes: false when a subtask failed or was blocked
    success               boolean,
    created_at            timestamptz NOT NULL,
    started_at            timestamptz,
    completed_at          timestamptz,
    -- stream sequence of the last event applied: the expected sequence for a reactor's append
    last_seq              bigint      NOT NULL,
    -- the plan exactly as the wire returns it
    doc                   jsonb       NOT NULL
);
-- The reactor's sweep looks only at executing plans and at completed ones (parent completion).
CREATE INDEX plans_open ON plans (status) WHERE status IN ('executing', 'completed');
CREATE INDEX plans_parent ON plans (parent_task_id);
CREATE INDEX plans_list_order ON plans (created_at);

CREATE TABLE plan_subtasks (
    plan_id        text    NOT NULL REFERENCES plans (plan_id),
    subtask_id     text    NOT NULL,
    wave           integer NOT NULL,
    mode           text    NOT NULL,
    status         text    NOT NULL,
    mesh_task_id   text,
    depends_on     text[]  NOT NULL,
    PRIMARY KEY (plan_id, subtask_id)
);
-- From a task event to the plan it belongs to.
CREATE INDEX plan_subtasks_task ON plan_subtasks (mesh_task_id) WHERE mesh_task_id IS NOT NULL;

-- jetmesh read models, version 1: tasks, attempts, liveness, the event log, projection bookkeeping.
-- Everything here except task_liveness is rebuilt from the MESH_EVENTS stream by the projector.

CREATE TABLE projection_checkpoint (
    name        text PRIMARY KEY,
    last_seq    bigint      NOT NULL CHECK (last_seq >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A poison event halts the projector and is parked here with the reason; it is never skipped.
CREATE TABLE projection_poison (
    name        text        NOT NULL,
    seq         bigint      NOT NULL,
    subject     text        NOT NULL,
    reason      text        NOT NULL,
    raw         text        NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, seq)
);

-- Every event, for SQL over history (docs/sql-cookbook.md).
CREATE TABLE event_log (
    seq           bigint PRIMARY KEY,
    -- unique by construction (random UUIDs, or derived from a decision's deterministic seed, which
    -- the stream deduplicates); not indexed, to keep the projector's inserts cheap
    event_id      uuid        NOT NULL,
    type          text        NOT NULL,
    aggregate     text        NOT NULL,
    aggregate_id  text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    actor         text,
    causation_id  text,
    payload       jsonb       NOT NULL
);
CREATE INDEX event_log_aggregate ON event_log (aggregate, aggregate_id, seq);

CREATE TABLE tasks (
    task_id          text PRIMARY KEY,
    title            text        NOT NULL,
    status           text        NOT NULL,
    priority         integer     NOT NULL,
    budget_minutes   integer     NOT NULL,
    owner            text,
    claim_token      bigint,
    llm_provider     text,
    llm_model        text,
    collab_session_id text,
    tags             text[]      NOT NULL,
    depends_on       text[]      NOT NULL,
    preferred_nodes  text[]      NOT NULL,
    exclude_nodes    text[]      NOT NULL,
    created_at       timestamptz NOT NULL,
    claimed_at       timestamptz,
    started_at       timestamptz,
    completed_at     timestamptz,
    budget_deadline  timestamptz,
    result           jsonb,
    -- dependencies not (yet) completed; a task is claimable only at 0
    deps_pending     integer     NOT NULL,
    submitted_seq    bigint      NOT NULL,
    -- stream sequence of the last event applied: the expected sequence for a reactor's append
    last_seq         bigint      NOT NULL,
    -- the task exactly as the wire returns it
    doc              jsonb       NOT NULL
);

-- Claim selection: the next queued, unblocked task by priority then arrival, without a scan.
CREATE INDEX tasks_claimable ON tasks (priority DESC, submitted_seq ASC)
    WHERE status = 'queued' AND deps_pending = 0;
-- Tasks that prefer some node: usually few, so "is there one for this node?" stays cheap at any
-- queue depth (a GIN index here was planned away in favour of walking tasks_claimable).
CREATE INDEX tasks_claimable_with_preference ON tasks (priority DESC, submitted_seq ASC)
    WHERE status = 'queued' AND deps_pending = 0 AND cardinality(preferred_nodes) > 0;
-- Unblocking dependents when a task completes.
CREATE INDEX tasks_waiting_on ON tasks USING gin (depends_on)
    WHERE status = 'queued' AND deps_pending > 0;
-- Timers: only held tasks are looked at.
CREATE INDEX tasks_budget_deadline ON tasks (budget_deadline)
    WHERE status IN ('claimed', 'running');
CREATE INDEX tasks_active_owner ON tasks (owner)
    WHERE status IN ('claimed', 'running');
-- mesh.tasks.list order. Few indexes on purpose: every status change rewrites the row (not a HOT
-- update), so each full index costs the projector one more entry per event.
CREATE INDEX tasks_list_order ON tasks (priority DESC, created_at ASC, submitted_seq ASC);

CREATE TABLE task_attempts (
    seq            bigint PRIMARY KEY,
    task_id        text        NOT NULL REFERENCES tasks (task_id),
    attempt        integer,
    node_id        text,
    provider       text,
    model          text,
    approach       text,
    result         text,
    keep           boolean     NOT NULL,
    exit_code      integer,
    metric_passed  boolean,
    duration_ms    bigint,
    cost_usd       numeric(12, 6),
    tokens         jsonb,
    output         jsonb,
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX task_attempts_task ON task_attempts (task_id, seq);

-- Liveness is not history: heartbeats update this row and append nothing to the stream.
CREATE TABLE task_liveness (
    task_id        text PRIMARY KEY,
    node_id        text,
    last_activity  timestamptz NOT NULL,
    activity       jsonb
);

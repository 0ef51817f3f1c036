-- jetmesh read models, version 2: collaboration sessions (docs/collab.md).
-- Everything here is rebuilt from the MESH_EVENTS stream by the projector. The reactor decides from
-- collab_sessions (doc + last_seq) and appends at last_seq; the other tables are for queries.

CREATE TABLE collab_sessions (
    session_id          text PRIMARY KEY,
    task_id             text        NOT NULL,
    mode                text        NOT NULL,
    status              text        NOT NULL,
    convergence_type    text        NOT NULL,
    scope_strategy      text        NOT NULL,
    min_nodes           integer     NOT NULL,
    max_nodes           integer,
    max_rounds          integer     NOT NULL,
    current_round       integer     NOT NULL,
    current_turn        text,
    recruiting_deadline timestamptz,
    round_deadline      timestamptz,
    created_at          timestamptz NOT NULL,
    completed_at        timestamptz,
    abort_reason        text,
    result              jsonb,
    -- stream sequence of the last event applied: the expected sequence for a reactor's append
    last_seq            bigint      NOT NULL,
    -- the session exactly as the wire returns it
    doc                 jsonb       NOT NULL
);
-- The reactor's sweep looks only at open sessions.
CREATE INDEX collab_sessions_open ON collab_sessions (status)
    WHERE status IN ('recruiting', 'active', 'converged');
CREATE INDEX collab_sessions_task ON collab_sessions (task_id, created_at);
CREATE INDEX collab_sessions_recent_end ON collab_sessions (completed_at)
    WHERE completed_at IS NOT NULL;

CREATE TABLE collab_members (
    session_id  text        NOT NULL REFERENCES collab_sessions ON DELETE CASCADE,
    node_id     text        NOT NULL,
    role        text        NOT NULL,
    status      text        NOT NULL,
    joined_at   timestamptz NOT NULL,
    PRIMARY KEY (session_id, node_id)
);
CREATE INDEX collab_members_node ON collab_members (node_id);

CREATE TABLE collab_rounds (
    session_id    text        NOT NULL REFERENCES collab_sessions ON DELETE CASCADE,
    round_number  integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    deadline      timestamptz NOT NULL,
    completed_at  timestamptz,
    shared_intel  text        NOT NULL,
    assignments   jsonb       NOT NULL,
    turn_order    text[]      NOT NULL,
    outcome       text,
    timed_out     boolean     NOT NULL,
    PRIMARY KEY (session_id, round_number)
);

CREATE TABLE collab_reflections (
    session_id    text             NOT NULL REFERENCES collab_sessions ON DELETE CASCADE,
    round_number  integer          NOT NULL,
    node_id       text             NOT NULL,
    summary       text             NOT NULL,
    learnings     text             NOT NULL,
    artifacts     text[]           NOT NULL,
    confidence    double precision NOT NULL,
    vote          text             NOT NULL,
    parse_failed  boolean          NOT NULL,
    metric_passed boolean,
    submitted_at  timestamptz      NOT NULL,
    PRIMARY KEY (session_id, round_number, node_id)
);

-- Every vote that a round's evaluation looked at: members' reflection votes (valid = not parse
-- failed) and the coordinator's vote.
CREATE TABLE collab_votes (
    session_id    text    NOT NULL REFERENCES collab_sessions ON DELETE CASCADE,
    round_number  integer NOT NULL,
    voter         text    NOT NULL,
    kind          text    NOT NULL CHECK (kind IN ('member', 'coordinator')),
    vote          text    NOT NULL,
    valid         boolean NOT NULL,
    PRIMARY KEY (session_id, round_number, voter, kind)
);

-- Tasks with a collaboration spec whose session is not projected yet (the sweep creates it).
CREATE INDEX tasks_collab_session ON tasks (collab_session_id)
    WHERE collab_session_id IS NOT NULL;

-- GET /api/tasks?order=newest and ?order=updated (docs/api.md): newest submitted first, most
-- recently changed first; the dashboard's board reads the latter. Without these, each page of either
-- is a scan and sort of every task. Each key is a stream sequence that no two tasks share (the
-- sequence of the task's own task.submitted, and of its latest event), so it is the whole keyset
-- cursor. The cost: as V1 says, a status change is not a HOT update, so each index adds one entry
-- per task event to the projector's write; two indexes of one bigint each.
CREATE INDEX tasks_newest_first ON tasks (submitted_seq);
CREATE INDEX tasks_updated_first ON tasks (last_seq);

-- Metric scores (docs/worker.md, "Metric scores"): the number a metric printed, exact, on each
-- attempt and each collaboration reflection, and what a node's round cost. Null where the metric
-- printed no number, where its cost is unknown, and on rows of events stored before scores
-- existed (their events carry none either, so a rebuild gives the same rows). A score is at most
-- 1e15 in magnitude with at most 15 decimals (the orchestrator refuses anything else), which
-- numeric(31, 15) holds exactly. V6 is left to the node read model, written at the same time.
ALTER TABLE task_attempts ADD COLUMN metric_score numeric(31, 15);
ALTER TABLE collab_reflections ADD COLUMN metric_score numeric(31, 15);
ALTER TABLE collab_reflections ADD COLUMN cost_usd numeric(12, 6);

-- tasks.doc is a document to hand back (mesh.tasks.list, plans), never searched: store it as json
-- (the text as written, checked to be JSON) rather than jsonb (decomposed into a binary tree on
-- every write, and rebuilt into text on every read). The projector writes it for every task on
-- submission and again on every change; on this machine, 25,000 writes of a 790-byte task took
-- 265 ms as jsonb and 130 ms as json. `doc -> 'field'` and `doc ->> 'field'` work on both; cast to
-- jsonb (`doc::jsonb`) for containment (@>) and the other jsonb-only operators.
ALTER TABLE tasks ALTER COLUMN doc TYPE json USING doc::json;

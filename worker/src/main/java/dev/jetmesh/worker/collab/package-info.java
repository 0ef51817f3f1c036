/**
 * Taking part in collaboration sessions (REFERENCE.md section 4 and section 6, "Collab execution"):
 * the round prompt, the reflection parser (section 4.9, exactly) and the executor that joins a
 * session, works its rounds in a worktree of its own, reflects, and merges only when the session
 * converged or completed.
 */
@NullMarked
package dev.jetmesh.worker.collab;

import org.jspecify.annotations.NullMarked;

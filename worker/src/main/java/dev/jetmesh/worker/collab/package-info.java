/**
 * Taking part in collaboration sessions (REFERENCE.md section 4 and section 6, "Collab execution"):
 * {@link dev.jetmesh.worker.collab.CollabExecutor} finds and joins a session; {@link
 * dev.jetmesh.worker.collab.RoundLoop} waits for this node's rounds and ends with the session;
 * {@link dev.jetmesh.worker.collab.RoundRunner} runs one round (the {@link RoundPrompt}, the
 * provider and metric through the shared {@code run.AttemptRunner}, the reflection); {@link
 * dev.jetmesh.worker.collab.ReflectionParser} reads the reflection (section 4.9, exactly); {@link
 * dev.jetmesh.worker.collab.SessionRequests} reports it and asks for status and assignments; {@link
 * dev.jetmesh.worker.collab.CoordinatorVotes} casts the coordinator's deciding vote; and {@link
 * dev.jetmesh.worker.collab.SessionMerge} merges only when the session converged or completed.
 */
@NullMarked
package dev.jetmesh.worker.collab;

import org.jspecify.annotations.NullMarked;

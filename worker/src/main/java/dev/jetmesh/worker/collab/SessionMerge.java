package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.git.MergeResult;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.CollabWire;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a member's work when its session ends: merged when the session converged or
 * completed and this node wrote (a reviewer has nothing to merge), discarded otherwise. Stateless.
 */
final class SessionMerge {
  private static final Logger log = LoggerFactory.getLogger(SessionMerge.class);

  private final Worktrees worktrees;
  private final String nodeId;

  SessionMerge(Worktrees worktrees, String nodeId) {
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  /** Converged or completed: commit and merge (a writer's work only); otherwise discard. */
  CollabExecutor.Outcome finish(
      Worktree wt,
      String taskId,
      String sessionId,
      Optional<CollabWire.Status> st,
      boolean writer) {
    if (st.isEmpty() || !st.get().succeeded()) {
      log.info(
          "session {} ended {}; discarding this node's work",
          sessionId,
          st.map(CollabWire.Status::status).orElse("(unknown)"));
      return CollabExecutor.Outcome.DISCARDED;
    }
    if (!writer) {
      log.info(
          "session {} {}; this node reviewed only: nothing to merge", sessionId, st.get().status());
      return CollabExecutor.Outcome.MERGED;
    }
    String message = "mesh(" + taskId + "): collaboration " + sessionId + ", work of " + nodeId;
    Optional<String> sha = worktrees.commit(wt, message);
    if (sha.isEmpty()) {
      log.info("session {} {}; no changes to merge", sessionId, st.get().status());
      return CollabExecutor.Outcome.MERGED;
    }
    MergeResult m = worktrees.merge(wt);
    log.info(
        "session {} {}: merge of {} {}",
        sessionId,
        st.get().status(),
        wt.branch(),
        m.merged() ? "done" : "failed (branch kept): " + m.detail());
    return m.merged() ? CollabExecutor.Outcome.MERGED : CollabExecutor.Outcome.DISCARDED;
  }
}

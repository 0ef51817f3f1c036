package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each member's role and scope for a round is decided (REFERENCE.md section 4.3): in {@code
 * review} mode or with {@code leader_only}, the first member leads with the whole scope and the
 * others review it read-only; {@code partitioned} deals the scope's paths round-robin; otherwise
 * everyone shares it. Stateless.
 */
public final class Scopes {
  private Scopes() {}

  /** Each live node's role and scope for a round, in join order. */
  public static List<CollabAssignment> assign(
      List<CollabNode> live, CollabMode mode, String strategy, List<String> scope) {
    List<CollabAssignment> out = new ArrayList<>();
    boolean leaderOnly = "leader_only".equals(strategy) || mode == CollabMode.REVIEW;
    for (int i = 0; i < live.size(); i++) {
      CollabNode n = live.get(i);
      if (leaderOnly) {
        if (i == 0) {
          out.add(
              new CollabAssignment(n.nodeId(), "leader", scope.isEmpty() ? List.of("*") : scope));
        } else {
          List<String> ro = new ArrayList<>();
          for (String p : scope.isEmpty() ? List.of("*") : scope) {
            ro.add("[REVIEW-ONLY] " + p);
          }
          out.add(new CollabAssignment(n.nodeId(), "reviewer", ro));
        }
      } else if ("partitioned".equals(strategy) && !scope.isEmpty()) {
        List<String> mine = new ArrayList<>();
        for (int p = 0; p < scope.size(); p++) {
          if (p % live.size() == i) {
            mine.add(scope.get(p));
          }
        }
        out.add(
            new CollabAssignment(
                n.nodeId(), n.role(), mine.isEmpty() ? List.of("[NO-SCOPE-ASSIGNED]") : mine));
      } else {
        out.add(new CollabAssignment(n.nodeId(), n.role(), scope.isEmpty() ? List.of("*") : scope));
      }
    }
    return out;
  }
}

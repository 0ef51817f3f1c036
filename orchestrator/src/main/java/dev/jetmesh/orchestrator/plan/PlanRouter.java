package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.SubtaskDelegation;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The seven auto-routing rules of REFERENCE.md section 5, in order; the first match wins. Text
 * rules match by substring against the lower-cased {@code title + ' ' + description} (so "explore"
 * matches "lore", as in the reference). Stateless and thread-safe.
 */
public final class PlanRouter {
  static final List<String> HUMAN_WORDS =
      List.of("approve", "decision", "choose between", "user input");
  static final List<String[]> SOULS =
      List.of(
          new String[] {"blockchain-auditor", "smart-contract"},
          new String[] {"lore-writer", "narrative", "lore"},
          new String[] {"infra-ops", "cicd", "deployment", "monitoring"},
          new String[] {"identity-architect", "identity", "sbt", "trust"});
  static final List<String> SENSITIVE_SCOPES =
      List.of("contracts/", "auth/", "payments/", "migration/");
  static final List<String> SENSITIVE_WORDS =
      List.of(
          "security",
          "audit",
          "authentication",
          "payment",
          "migration",
          "selfdestruct",
          "upgrade",
          "proxy");

  private PlanRouter() {}

  /**
   * Routes one subtask.
   *
   * @param budgetMinutes the subtask's budget after defaults
   */
  public static SubtaskDelegation route(
      String title,
      @Nullable String description,
      int budgetMinutes,
      @Nullable String metric,
      List<String> scope) {
    String text = (title + " " + (description == null ? "" : description)).toLowerCase(Locale.ROOT);
    if (budgetMinutes != 0 && budgetMinutes <= 2) {
      return local("rule 1: budget of " + budgetMinutes + " min is at most 2");
    }
    String human = firstIn(text, HUMAN_WORDS);
    if (human != null) {
      return new SubtaskDelegation(
          SubtaskDelegation.HUMAN, null, null, "rule 2: needs a human ('" + human + "')");
    }
    for (String[] soul : SOULS) {
      for (int i = 1; i < soul.length; i++) {
        if (text.contains(soul[i])) {
          return new SubtaskDelegation(
              SubtaskDelegation.SOUL,
              soul[0],
              null,
              "rule 3: soul " + soul[0] + " ('" + soul[i] + "')");
        }
      }
    }
    for (String s : scope) {
      String hit = firstIn(s.toLowerCase(Locale.ROOT), SENSITIVE_SCOPES);
      if (hit != null) {
        return collab(review(), "rule 4: sensitive scope '" + s + "'");
      }
    }
    String sensitive = firstIn(text, SENSITIVE_WORDS);
    if (sensitive != null) {
      return collab(review(), "rule 4: sensitive work ('" + sensitive + "')");
    }
    if (scope.size() > 3) {
      return collab(parallel(), "rule 5: " + scope.size() + " scope entries (more than 3)");
    }
    if (metric != null && !metric.isEmpty()) {
      return new SubtaskDelegation(SubtaskDelegation.SOLO_MESH, null, null, "rule 6: has a metric");
    }
    return local("rule 7: default");
  }

  private static SubtaskDelegation local(String reason) {
    return new SubtaskDelegation(SubtaskDelegation.LOCAL, null, null, reason);
  }

  private static SubtaskDelegation collab(ObjectNode spec, String reason) {
    return new SubtaskDelegation(SubtaskDelegation.COLLAB_MESH, null, spec, reason);
  }

  /** Rule 4's session: a unanimous review by 2-3 nodes, the leader editing. */
  static ObjectNode review() {
    ObjectNode n =
        Json.mapper()
            .createObjectNode()
            .put("mode", "review")
            .put("min_nodes", 2)
            .put("max_nodes", 3)
            .put("join_window_s", 30)
            .put("max_rounds", 3);
    n.putObject("convergence").put("type", "unanimous");
    n.put("scope_strategy", "leader_only");
    return n;
  }

  /** Rule 5's session: parallel work on a partitioned scope, majority vote. */
  static ObjectNode parallel() {
    ObjectNode n =
        Json.mapper()
            .createObjectNode()
            .put("mode", "parallel")
            .put("min_nodes", 2)
            .putNull("max_nodes")
            .put("join_window_s", 30)
            .put("max_rounds", 5);
    n.putObject("convergence").put("type", "majority").put("threshold", 0.66);
    n.put("scope_strategy", "partitioned");
    return n;
  }

  private static @Nullable String firstIn(String text, List<String> words) {
    for (String w : words) {
      if (text.contains(w)) {
        return w;
      }
    }
    return null;
  }
}

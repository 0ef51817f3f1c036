package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shared intelligence text every member gets (REFERENCE.md section 4.5, exactly): the previous
 * round's reflections for a new round, and in sequential mode the turns taken so far. Stateless.
 */
public final class RoundIntel {
  public static final String FIRST_ROUND_INTEL = "(First round — no prior intelligence.)";

  private RoundIntel() {}

  /** The shared intelligence of round {@code next}, from the round before it (null for round 1). */
  public static String intel(@Nullable CollabRound previous) {
    if (previous == null) {
      return "";
    }
    if (previous.reflections().isEmpty()) {
      return FIRST_ROUND_INTEL;
    }
    List<String> lines = new ArrayList<>();
    lines.add("=== ROUND " + previous.roundNumber() + " SHARED INTELLIGENCE ===");
    lines.add("");
    int converged = 0;
    for (CollabReflection r : previous.reflections()) {
      lines.add("## Node: " + r.nodeId() + (r.parseFailed() ? " [REFLECTION PARSE FAILED]" : ""));
      body(lines, r);
      if (r.vote() == Vote.CONVERGED) {
        converged++;
      }
    }
    lines.add(
        "=== CONVERGENCE: "
            + converged
            + "/"
            + previous.reflections().size()
            + " voted converged. ===");
    return String.join("\n", lines);
  }

  /** Sequential mode: the round's intel plus the turns taken so far. */
  public static String turnIntel(CollabRound round) {
    List<String> lines = new ArrayList<>();
    lines.add("=== INTRA-ROUND " + round.roundNumber() + " (turns so far) ===");
    lines.add("");
    for (CollabReflection r : round.reflections()) {
      lines.add("## Turn: " + r.nodeId() + (r.parseFailed() ? " [PARSE FAILED]" : ""));
      body(lines, r);
    }
    return round.sharedIntel() + "\n\n" + String.join("\n", lines);
  }

  /** What {@code nodeId} gets as shared intel now: the turn intel once a turn has passed. */
  public static String intelFor(CollabSession s, CollabRound round) {
    if (s.mode() == CollabMode.SEQUENTIAL && !round.reflections().isEmpty()) {
      return turnIntel(round);
    }
    return round.sharedIntel();
  }

  private static void body(List<String> lines, CollabReflection r) {
    if (!r.summary().isEmpty()) {
      lines.add("Summary: " + r.summary());
    }
    if (!r.learnings().isEmpty()) {
      lines.add("Learnings: " + r.learnings());
    }
    if (!r.artifacts().isEmpty()) {
      lines.add("Artifacts: " + String.join(", ", r.artifacts()));
    }
    lines.add("Confidence: " + number(r.confidence()) + " | Vote: " + r.vote().wire());
    lines.add("");
  }

  /** A number as JavaScript prints it: 1, 0.5, 0.75. */
  static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}

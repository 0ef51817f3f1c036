package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The shared intelligence text every member gets (REFERENCE.md section 4.5, exactly): the previous
 * round's reflections for a new round, and in sequential mode the turns taken so far. Stateless.
 */
public final class RoundIntel {
  public static final String FIRST_ROUND_INTEL = "(First round — no prior intelligence.)";

  private RoundIntel() {}

  /**
   * The most a shared intel text may take in JSON, in bytes. It travels in {@code
   * collab.round_started} and {@code collab.turn_advanced} (the round's intel plus the turns: twice
   * this at most), and an event may not exceed {@code EventStore.MAX_EVENT_BYTES} (1 MiB), whatever
   * the number of members and the length of what they wrote. Only larger texts are shortened.
   */
  static final int MAX_INTEL_BYTES = 384 * 1024;

  /** The shared intelligence of round {@code next}, from the round before it (null for round 1). */
  public static String intel(@Nullable CollabRound previous) {
    if (previous == null) {
      return "";
    }
    if (previous.reflections().isEmpty()) {
      return FIRST_ROUND_INTEL;
    }
    return fitted(
        limit -> {
          List<String> lines = new ArrayList<>();
          lines.add("=== ROUND " + previous.roundNumber() + " SHARED INTELLIGENCE ===");
          lines.add("");
          int converged = 0;
          for (CollabReflection r : previous.reflections()) {
            lines.add(
                "## Node: " + r.nodeId() + (r.parseFailed() ? " [REFLECTION PARSE FAILED]" : ""));
            body(lines, r, limit);
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
        });
  }

  /** Sequential mode: the round's intel plus the turns taken so far. */
  public static String turnIntel(CollabRound round) {
    String turns =
        fitted(
            limit -> {
              List<String> lines = new ArrayList<>();
              lines.add("=== INTRA-ROUND " + round.roundNumber() + " (turns so far) ===");
              lines.add("");
              for (CollabReflection r : round.reflections()) {
                lines.add("## Turn: " + r.nodeId() + (r.parseFailed() ? " [PARSE FAILED]" : ""));
                body(lines, r, limit);
              }
              return String.join("\n", lines);
            });
    return round.sharedIntel() + "\n\n" + turns;
  }

  /**
   * {@code render}ed with each member's texts whole, or, when that is over {@link
   * #MAX_INTEL_BYTES}, with each text cut to the longest length that fits (halving).
   */
  private static String fitted(IntFunction<String> render) {
    String text = render.apply(Integer.MAX_VALUE);
    int limit = text.length();
    while (jsonBytes(text) > MAX_INTEL_BYTES && limit > 1) {
      limit /= 2;
      text = render.apply(limit);
    }
    return text;
  }

  private static int jsonBytes(String text) {
    try {
      return Json.mapper().writeValueAsBytes(text).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a string as JSON", e);
    }
  }

  /** What {@code nodeId} gets as shared intel now: the turn intel once a turn has passed. */
  public static String intelFor(CollabSession s, CollabRound round) {
    if (s.mode() == CollabMode.SEQUENTIAL && !round.reflections().isEmpty()) {
      return turnIntel(round);
    }
    return round.sharedIntel();
  }

  private static void body(List<String> lines, CollabReflection r, int limit) {
    if (!r.summary().isEmpty()) {
      lines.add("Summary: " + cut(r.summary(), limit));
    }
    if (!r.learnings().isEmpty()) {
      lines.add("Learnings: " + cut(r.learnings(), limit));
    }
    if (!r.artifacts().isEmpty()) {
      lines.add("Artifacts: " + cut(String.join(", ", r.artifacts()), limit));
    }
    lines.add("Confidence: " + number(r.confidence()) + " | Vote: " + r.vote().wire());
    lines.add("");
  }

  /** {@code text} cut to {@code limit} characters, saying how many were left out. */
  static String cut(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    // Never split a surrogate pair: half of one is not text.
    int end = Character.isLowSurrogate(text.charAt(limit)) ? limit - 1 : limit;
    return text.substring(0, end) + " [… " + (text.length() - end) + " more characters]";
  }

  /** A number as JavaScript prints it: 1, 0.5, 0.75. */
  static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}

package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.failed;
import static dev.jetmesh.orchestrator.collab.CollabGiven.round;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.Vote;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared intelligence text, exactly as REFERENCE.md section 4.5 spells it. */
class RoundIntelTest {

  @Test
  void firstRound_hasNoIntel_andARoundWithoutReflections_saysSo() {
    assertThat(RoundIntel.intel(null)).isEmpty();
    assertThat(RoundIntel.intel(round(List.of(), null)))
        .isEqualTo("(First round — no prior intelligence.)");
  }

  @Test
  void manyLongReflections_areCut_soThatTheRoundsEventStaysUnderTheLimit_andEveryMemberIsListed()
      throws Exception {
    List<CollabReflection> many = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(
          new CollabReflection(
              "n" + i,
              "é\"".repeat(CollabRoutes.MAX_TEXT / 2),
              "l".repeat(CollabRoutes.MAX_TEXT),
              List.of("src/" + "d/".repeat(100) + "f" + i + ".java"),
              0.5,
              Vote.CONTINUE,
              false,
              null,
              null,
              null,
              Instant.EPOCH));
    }

    String intel = RoundIntel.intel(round(many, null));

    assertThat(dev.jetmesh.schema.Json.mapper().writeValueAsBytes(intel).length)
        .isLessThanOrEqualTo(RoundIntel.MAX_INTEL_BYTES);
    for (int i = 0; i < 40; i++) {
      assertThat(intel).contains("## Node: n" + i + "\n");
    }
    assertThat(intel).contains(" more characters]").endsWith("0/40 voted converged. ===");
    String turns = RoundIntel.turnIntel(round(many, null));
    assertThat(dev.jetmesh.schema.Json.mapper().writeValueAsBytes(turns).length)
        .isLessThanOrEqualTo(2 * RoundIntel.MAX_INTEL_BYTES);
  }

  @Test
  void intel_listsEveryReflection_andTheConvergedCount() {
    CollabReflection a =
        new CollabReflection(
            "a",
            "fixed it",
            "ttl read twice",
            List.of("x.java"),
            0.75,
            Vote.CONVERGED,
            false,
            null,
            null,
            null,
            Instant.EPOCH);
    String intel = RoundIntel.intel(round(List.of(a, failed("b")), null));
    assertThat(intel)
        .isEqualTo(
            String.join(
                "\n",
                "=== ROUND 1 SHARED INTELLIGENCE ===",
                "",
                "## Node: a",
                "Summary: fixed it",
                "Learnings: ttl read twice",
                "Artifacts: x.java",
                "Confidence: 0.75 | Vote: converged",
                "",
                "## Node: b [REFLECTION PARSE FAILED]",
                "Summary: garbled",
                "Confidence: 0.5 | Vote: parse_error",
                "",
                "=== CONVERGENCE: 1/2 voted converged. ==="));
  }

  @Test
  void numbers_printAsJavaScriptDoes() {
    assertThat(RoundIntel.number(1.0)).isEqualTo("1");
    assertThat(RoundIntel.number(0.5)).isEqualTo("0.5");
  }
}

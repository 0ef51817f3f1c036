package dev.jetmesh.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.SubtaskDelegation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seven routing rules of REFERENCE.md section 5, each alone and in their order. */
class PlanRouterTest {
  private static SubtaskDelegation route(
      String title, String description, int budget, String metric, List<String> scope) {
    return PlanRouter.route(title, description, budget, metric, scope);
  }

  private static SubtaskDelegation route(String title) {
    return route(title, "", 15, null, List.of());
  }

  @Test
  void rule1_budgetOfAtMostTwoMinutes_isLocal_beforeEveryOtherRule() {
    SubtaskDelegation d = route("Approve the security audit", "", 2, "true", List.of("auth/x"));
    assertThat(d.mode()).isEqualTo("local");
    assertThat(d.reason()).startsWith("rule 1");
    assertThat(route("Rename a variable", "", 1, null, List.of()).mode()).isEqualTo("local");
    assertThat(route("Rename a variable", "", 3, "true", List.of()).mode()).isEqualTo("solo_mesh");
  }

  @Test
  void rule2_humanWords_areHuman() {
    for (String t :
        List.of(
            "Approve the design",
            "Make a DECISION",
            "Choose between A and B",
            "Needs user input")) {
      SubtaskDelegation d = route(t);
      assertThat(d.mode()).as(t).isEqualTo("human");
      assertThat(d.reason()).startsWith("rule 2");
    }
    // description counts too, and rule 2 beats rule 3 and 4
    assertThat(route("Security work", "needs a decision on lore", 15, null, List.of()).mode())
        .isEqualTo("human");
  }

  @Test
  void rule3_soulKeywords_inOrder_bySubstring() {
    assertThat(route("Review smart-contract").soulId()).isEqualTo("blockchain-auditor");
    assertThat(route("Write the narrative").soulId()).isEqualTo("lore-writer");
    assertThat(route("Explore options").soulId()).isEqualTo("lore-writer"); // "explore" has "lore"
    assertThat(route("Set up cicd").soulId()).isEqualTo("infra-ops");
    assertThat(route("Plan the deployment").soulId()).isEqualTo("infra-ops");
    assertThat(route("Add monitoring").soulId()).isEqualTo("infra-ops");
    assertThat(route("Model identity").soulId()).isEqualTo("identity-architect");
    assertThat(route("Mint an sbt").soulId()).isEqualTo("identity-architect");
    assertThat(route("Trust scores").soulId()).isEqualTo("identity-architect");
    // earlier soul wins: smart-contract before monitoring
    assertThat(route("smart-contract monitoring").soulId()).isEqualTo("blockchain-auditor");
    SubtaskDelegation d = route("Add monitoring");
    assertThat(d.mode()).isEqualTo("soul");
    assertThat(d.reason()).startsWith("rule 3");
    // rule 3 beats rule 4
    assertThat(route("Security of the deployment").mode()).isEqualTo("soul");
  }

  @Test
  void rule4_sensitiveScopeOrText_isCollabReview() {
    for (String scope :
        List.of("src/contracts/Token.sol", "auth/", "payments/api", "db/migration/V2")) {
      SubtaskDelegation d = route("Change code", "", 15, "true", List.of(scope));
      assertThat(d.mode()).as(scope).isEqualTo("collab_mesh");
      assertThat(d.collaboration()).isEqualTo(PlanRouter.review());
      assertThat(d.reason()).startsWith("rule 4");
    }
    for (String word :
        List.of(
            "security",
            "audit",
            "authentication",
            "payment",
            "migration",
            "selfdestruct",
            "upgrade",
            "proxy")) {
      SubtaskDelegation d = route("Do the " + word + " work", "", 15, "true", List.of());
      assertThat(d.mode()).as(word).isEqualTo("collab_mesh");
      assertThat(d.collaboration().path("mode").asText()).isEqualTo("review");
    }
    SubtaskDelegation d = route("x", "", 15, null, List.of("auth/"));
    assertThat(d.collaboration().toString())
        .isEqualTo(
            "{\"mode\":\"review\",\"min_nodes\":2,\"max_nodes\":3,\"join_window_s\":30,"
                + "\"max_rounds\":3,\"convergence\":{\"type\":\"unanimous\"},"
                + "\"scope_strategy\":\"leader_only\"}");
  }

  @Test
  void rule5_moreThanThreeScopeEntries_isCollabParallel() {
    SubtaskDelegation d = route("Refactor", "", 15, "true", List.of("a/", "b/", "c/", "d/"));
    assertThat(d.mode()).isEqualTo("collab_mesh");
    assertThat(d.reason()).startsWith("rule 5");
    assertThat(d.collaboration().toString())
        .isEqualTo(
            "{\"mode\":\"parallel\",\"min_nodes\":2,\"max_nodes\":null,\"join_window_s\":30,"
                + "\"max_rounds\":5,\"convergence\":{\"type\":\"majority\",\"threshold\":0.66},"
                + "\"scope_strategy\":\"partitioned\"}");
    assertThat(route("Refactor", "", 15, "true", List.of("a/", "b/", "c/")).mode())
        .isEqualTo("solo_mesh");
  }

  @Test
  void rule6_metric_isSoloMesh() {
    SubtaskDelegation d = route("Fix the parser", "", 15, "mvn -q test", List.of());
    assertThat(d.mode()).isEqualTo("solo_mesh");
    assertThat(d.reason()).startsWith("rule 6");
    assertThat(d.collaboration()).isNull();
  }

  @Test
  void rule7_otherwise_isLocal() {
    SubtaskDelegation d = route("Fix the parser");
    assertThat(d.mode()).isEqualTo("local");
    assertThat(d.reason()).startsWith("rule 7");
  }
}

package dev.jetmesh.worker.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.testing.Tasks;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  private final Task task =
      Tasks.claimed(
          "T-1",
          "Add a greeting",
          "Write hello.txt",
          "test -f hello.txt",
          null,
          30,
          "n1",
          List.of("hello.txt exists", "it says hello"));

  @Test
  void firstAttempt_hasTheReferenceSections() {
    String p = PromptBuilder.build(task, 1, 3, List.of());
    assertThat(p).startsWith("# Task: Add a greeting\n\nWrite hello.txt\n\n");
    assertThat(p).contains("## Success Criteria\n- hello.txt exists\n- it says hello\n");
    assertThat(p)
        .contains("## Verification\n")
        .contains("exit with code 0")
        .contains("    test -f hello.txt");
    assertThat(p).contains("## Instructions\n");
    assertThat(p).doesNotContain("Attempt 1/3").doesNotContain("Previous Attempts");
  }

  @Test
  void retry_namesTheAttempt_andListsPreviousOnes() {
    String p =
        PromptBuilder.build(
            task,
            2,
            3,
            List.of(new PreviousAttempt("Attempt 1: metric failed", "no such file\nexit 1")));
    assertThat(p).startsWith("# Task: Add a greeting (Attempt 2/3)\n");
    assertThat(p)
        .contains("## Previous Attempts")
        .contains("- Attempt 1: metric failed\n  Result: no such file\n  exit 1\n");
  }

  @Test
  void optionalSections_areLeftOut() {
    Task bare = Tasks.claimed("T-2", "Just do it", "", null, null, 30, "n1");
    String p = PromptBuilder.build(bare, 1, 3, List.of());
    assertThat(p).doesNotContain("## Success Criteria", "## Verification", "## Scope");
  }
}

package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.MeshException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** Which failure exits with which code (docs/cli.md, Exit codes). */
class ExitTest {
  @ParameterizedTest
  @EnumSource(
      value = ErrorCode.class,
      names = {"UNAVAILABLE"},
      mode = EnumSource.Mode.EXCLUDE)
  void everyCodedRefusalOfTheMesh_exits1(ErrorCode code) {
    assertThat(Exit.of(new RefusedException(code, "no"))).isEqualTo(1);
  }

  @Test
  void aMeshThatCannotServeNow_orThatNothingAnswersFor_exits3() {
    assertThat(Exit.of(new RefusedException(ErrorCode.UNAVAILABLE, "projection behind")))
        .isEqualTo(3);
    assertThat(Exit.of(new UnreachableException("cannot connect"))).isEqualTo(3);
    assertThat(Exit.of(new MeshException(ErrorCode.UNAVAILABLE, "cannot connect to Postgres")))
        .isEqualTo(3);
  }

  @Test
  void whatWasTypedOrConfiguredWrong_exits2() {
    assertThat(Exit.of(new InvalidRequestException("Invalid task_id: a b"))).isEqualTo(2);
    assertThat(Exit.of(new OrchestratorConfig.ConfigException("MESH_API_URL must be …")))
        .isEqualTo(2);
    CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.create());
    assertThat(Exit.of(new CommandLine.ParameterException(cl, "Unknown option"))).isEqualTo(2);
  }

  @Test
  void anythingElse_exits1() {
    assertThat(Exit.of(new IllegalStateException("bug"))).isEqualTo(1);
  }

  @Test
  void theCodes_areTheDocumentedOnes() {
    assertThat(new int[] {Exit.OK, Exit.REFUSED, Exit.USAGE, Exit.UNREACHABLE})
        .containsExactly(0, 1, 2, 3);
  }
}

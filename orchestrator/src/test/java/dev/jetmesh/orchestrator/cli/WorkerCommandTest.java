package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code jetmesh worker} looks for the worker's jar. */
class WorkerCommandTest {
  @Test
  void theConfiguredJar_winsAndMustExist(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("w.jar"));
    assertThat(WorkerCommand.find(jar.toString(), null)).isEqualTo(jar);
    assertThatThrownBy(() -> WorkerCommand.find(dir.resolve("none.jar").toString(), null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("MESH_WORKER_JAR is not a file: ");
  }

  @Test
  void besideThisJar_thenInTheCheckoutsWorkerTarget(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("orchestrator/target"));
    Path here = Files.createFile(target.resolve("jetmesh-orchestrator.jar"));
    assertThat(WorkerCommand.find(null, here)).isNull();

    Path built = Files.createDirectories(root.resolve("worker/target")).resolve(WorkerCommand.JAR);
    Files.createFile(built);
    assertThat(WorkerCommand.find(null, here)).isEqualTo(built);

    Path beside = Files.createFile(target.resolve(WorkerCommand.JAR));
    assertThat(WorkerCommand.find(null, here)).isEqualTo(beside);
  }
}

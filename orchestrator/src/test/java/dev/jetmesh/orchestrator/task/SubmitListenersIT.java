package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What runs after a submission (the submit listeners, e.g. the collaboration module creating a
 * session) cannot undo or refuse it: a listener that throws neither fails the submission, on the
 * wire or a plan's, nor keeps the listeners after it from running.
 */
class SubmitListenersIT {
  @Test
  void aListenerThatThrows_failsNeitherTheSubmission_norTheListenersAfterIt() {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      TaskModule tasks = mesh.orchestrator().module(TaskModule.class);
      List<String> seen = new CopyOnWriteArrayList<>();
      tasks.onSubmitted(
          t -> {
            throw new IllegalStateException("a listener's bug");
          });
      tasks.onSubmitted(t -> seen.add(t.taskId()));

      assertThat(
              client
                  .task("submit", Map.of("task_id", "wire-1", "title", "On the wire"))
                  .path("status")
                  .asText())
          .isEqualTo("queued");
      assertThat(
              tasks
                  .submit(
                      TaskSpec.withDefaults("port-1", "Through the port", ""),
                      "orchestrator",
                      "test",
                      "test:port-1")
                  .taskId())
          .isEqualTo("port-1");

      assertThat(seen).containsExactly("wire-1", "port-1");
      for (String id : List.of("wire-1", "port-1")) {
        assertThat(mesh.orchestrator().store().read(Subjects.taskEvents(id)))
            .extracting(e -> e.envelope().type())
            .containsExactly("task.submitted");
      }
    }
  }
}

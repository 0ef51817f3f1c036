package dev.jetmesh.worker.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.testing.RecordingCommands;
import dev.jetmesh.worker.testing.Tasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which task a restarted node releases when its claim is refused with ALREADY_ACTIVE. */
class RestartRecoveryTest {
  private static final String NODE = "node-r";
  private final RecordingCommands commands = new RecordingCommands();
  private final RestartRecovery recovery = new RestartRecovery(commands, NODE);

  private void holding(Task t) {
    commands.queued = List.of(t);
    commands.known.put(t.taskId(), t);
  }

  private static Task with(Task t, String field, Object value) {
    ObjectNode n = Json.mapper().valueToTree(t);
    n.set(field, Json.mapper().valueToTree(value));
    try {
      return Json.mapper()
          .readerFor(Task.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Task held() {
    return Tasks.claimed("T-held", "Held", "d", null, null, 30, NODE);
  }

  @Test
  void theSoloTaskThisNodeStillHolds_isTheOneToRelease_lookedUpByOwner() {
    holding(held());

    assertThat(recovery.heldTask()).map(Task::taskId).contains("T-held");
    assertThat(commands.lists)
        .containsExactly(new TaskRequests.ListTasks("claimed", NODE, null, 1));
    // the helper the other cases use keeps what the decision reads
    holding(with(held(), "title", "Renamed"));
    assertThat(recovery.heldTask()).map(Task::title).contains("Renamed");
  }

  @Test
  void aCollaborationTask_isLeftToItsSession() {
    holding(with(held(), "collaboration", Map.of("mode", "parallel")));

    assertThat(recovery.heldTask()).isEmpty();
  }

  @Test
  void aTaskAnotherNodeOwnsMeanwhile_orThatEnded_isNotReleased() {
    holding(with(held(), "owner", "node-other"));
    assertThat(recovery.heldTask()).isEmpty();

    holding(with(held(), "status", "completed"));
    assertThat(recovery.heldTask()).isEmpty();
  }

  @Test
  void nothingHeld_orTheLookupFailing_releasesNothing() {
    assertThat(recovery.heldTask()).isEmpty();
    assertThat(commands.lists)
        .containsExactly(
            new TaskRequests.ListTasks("claimed", NODE, null, 1),
            new TaskRequests.ListTasks("running", NODE, null, 1));

    commands.listUnavailable = true;
    holding(held());
    assertThat(recovery.heldTask()).isEmpty();
  }
}

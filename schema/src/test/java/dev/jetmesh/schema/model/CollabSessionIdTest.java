package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.Ids;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A task's session id, and the task id read back from it. */
class CollabSessionIdTest {
  private static final Instant AT = Instant.ofEpochMilli(1_765_000_000_123L);

  @Test
  void sessionId_namesTheTask_andItsCreationMillisecond() {
    assertThat(CollabSpec.sessionIdFor("t-1", AT)).isEqualTo("collab-t-1-1765000000123");
  }

  @Test
  void taskIdOf_readsBackEveryTaskIdThatFits_dashesAndDigitsIncluded() {
    for (String task : new String[] {"t", "t-1", "a-1-2", "collab-x", "9", "x".repeat(170)}) {
      assertThat(CollabSpec.taskIdOf(CollabSpec.sessionIdFor(task, AT))).as(task).isEqualTo(task);
    }
  }

  @Test
  void taskIdOf_aShortenedId_namesNoTaskOfThatId() {
    String task = "y".repeat(Ids.MAX_LENGTH);
    String sid = CollabSpec.sessionIdFor(task, AT);
    assertThat(sid.length()).isLessThanOrEqualTo(Ids.MAX_LENGTH);
    assertThat(CollabSpec.taskIdOf(sid)).isNotEqualTo(task);
  }

  @Test
  void taskIdOf_isNull_forIdsOfAnotherShape() {
    for (String sid :
        new String[] {
          "s-1", "collab-", "collab-1", "collab--1", "collab-t-", "collab-t-12a", "x-t-1"
        }) {
      assertThat(CollabSpec.taskIdOf(sid)).as(sid).isNull();
    }
  }
}

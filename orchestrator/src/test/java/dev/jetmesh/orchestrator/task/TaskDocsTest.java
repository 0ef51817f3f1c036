package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import dev.jetmesh.schema.wire.Notification;
import dev.jetmesh.schema.wire.Reply;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Given task states, when their documents are written through {@link TaskDocs#task} (which reuses
 * the last document written for a task when the state is equal), then every document, reply and
 * notification is byte for byte what encoding the state afresh gives.
 */
class TaskDocsTest {
  private static final Instant T0 = Instant.parse("2026-12-06T08:00:00.123456Z");

  private static Task queued(String id) {
    // a description with what JSON escapes: quotes, backslashes, a line separator, non-ASCII
    return Task.queued(TaskSpec.withDefaults(id, "Title of " + id, "échappé \" \\ \u2028"), T0, 1);
  }

  private static Task claimed(Task t, String node, long token, long version) {
    Task.Mutable m = t.toMutable();
    m.status = TaskStatus.CLAIMED;
    m.owner = node;
    m.claimToken = token;
    m.claimedAt = T0.plusSeconds(version);
    m.version = version;
    return m.build();
  }

  private static String fresh(Object value) throws Exception {
    return Json.mapper().writeValueAsString(value);
  }

  @Test
  void an_equal_state_gets_the_document_written_for_the_first() throws Exception {
    Task a = claimed(queued("t1"), "n1", 7, 2);
    Task b = claimed(queued("t1"), "n1", 7, 2); // folded again elsewhere: equal, not the same

    String first = TaskDocs.task(a);

    assertThat(TaskDocs.task(b)).isSameAs(first).isEqualTo(fresh(b));
  }

  @Test
  void a_changed_state_of_the_same_task_is_written_again() throws Exception {
    Task before = claimed(queued("t2"), "n1", 7, 2);
    TaskDocs.task(before);
    Task after = claimed(queued("t2"), "n2", 8, 3);

    assertThat(TaskDocs.task(after)).isEqualTo(fresh(after)).isNotEqualTo(fresh(before));
    assertThat(TaskDocs.task(before)).isEqualTo(fresh(before));
  }

  @Test
  void a_result_changed_inside_its_tree_is_written_again() throws Exception {
    Task.Mutable m = queued("t3").toMutable();
    m.result = JsonNodeFactory.instance.objectNode().put("summary", "one");
    Task one = m.build();
    TaskDocs.task(one);
    m.result = JsonNodeFactory.instance.objectNode().put("summary", "two");
    Task two = m.build();

    assertThat(TaskDocs.task(two)).isEqualTo(fresh(two)).contains("\"two\"");
  }

  @Test
  void a_result_equal_as_a_tree_but_printed_otherwise_is_written_again() throws Exception {
    Task.Mutable m = queued("t6").toMutable();
    m.result = JsonNodeFactory.instance.objectNode().put("a", 1).put("b", 2);
    Task first = m.build();
    TaskDocs.task(first);
    m.result = JsonNodeFactory.instance.objectNode().put("b", 2).put("a", 1);
    Task reordered = m.build();

    assertThat(reordered).isEqualTo(first); // Jackson's trees ignore key order
    assertThat(TaskDocs.task(reordered)).isEqualTo(fresh(reordered)).isNotEqualTo(fresh(first));
  }

  @Test
  void a_decimal_of_another_scale_is_written_again() throws Exception {
    Task.Mutable m = queued("t7").toMutable();
    m.result = JsonNodeFactory.instance.objectNode().put("usd", new BigDecimal("1.5"));
    Task first = m.build();
    TaskDocs.task(first);
    m.result = JsonNodeFactory.instance.objectNode().put("usd", new BigDecimal("1.50"));
    Task rescaled = m.build();

    assertThat(rescaled).isEqualTo(first); // a decimal node compares by value
    assertThat(TaskDocs.task(rescaled)).isEqualTo(fresh(rescaled)).contains("1.50");
  }

  @Test
  void random_states_of_many_tasks_sharing_slots_always_get_their_own_document() throws Exception {
    Random random = new Random(42);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      tasks.add(queued("task-" + i)); // more tasks than slots: slots are shared
    }
    for (int step = 0; step < 50_000; step++) {
      int i = random.nextInt(tasks.size());
      Task t = tasks.get(i);
      if (random.nextInt(3) == 0) {
        t = claimed(t, "n" + random.nextInt(4), random.nextInt(5), t.version() + 1);
        tasks.set(i, t);
      }
      assertThat(TaskDocs.task(t)).isEqualTo(fresh(t));
    }
  }

  @Test
  void a_reply_embedding_the_document_is_the_reply_encoding_the_task() throws Exception {
    Task t = claimed(queued("t4"), "n1", 3, 2);

    assertThat(fresh(Reply.ok(TaskDocs.raw(t)))).isEqualTo(fresh(Reply.ok(t)));
  }

  @Test
  void a_notice_embedding_the_document_is_the_reference_notification() throws Exception {
    Task t = claimed(queued("t5"), "n1", 3, 2);
    Instant at = T0.plusMillis(5);

    assertThat(fresh(new TaskNotifier.TaskNotice("claimed", "t5", TaskDocs.raw(t), at)))
        .isEqualTo(fresh(new Notification("claimed", "t5", t, at)));
  }
}

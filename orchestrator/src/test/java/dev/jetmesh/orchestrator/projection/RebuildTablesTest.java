package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.TaskEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a rebuild compares and defers: the declared tables and indexes, safely named, and its
 * progress line.
 */
class RebuildTablesTest {
  private static Projection declaring(Class<TaskEvent> events, TableSpec... tables) {
    return Projection.of(events, List.of(tables), () -> null);
  }

  @Test
  void tables_areEveryProjectionsDeclaredTables_thenTheEventLog() {
    List<TableSpec> tables =
        Rebuild.tables(
            List.of(
                declaring(TaskEvent.class, TableSpec.of("tasks", "task_id")),
                Projection.of(
                    CollabEvent.class,
                    List.of(TableSpec.of("collab_votes", "a", "b")),
                    () -> null)));
    assertThat(tables)
        .extracting(TableSpec::name)
        .containsExactly("tasks", "collab_votes", "event_log");
  }

  @Test
  void tables_refuseATableDeclaredTwice() {
    assertThatThrownBy(
            () ->
                Rebuild.tables(
                    List.of(
                        declaring(TaskEvent.class, TableSpec.of("tasks", "task_id")),
                        declaring(TaskEvent.class, TableSpec.of("tasks", "task_id")))))
        .hasMessage("two projections declare table tasks");
  }

  @Test
  void spec_refusesNamesThatWouldNotBePlainIdentifiers_andKeysThatAreNotComparedAsIs() {
    assertThatThrownBy(() -> TableSpec.of("tasks; DROP TABLE x", "id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableSpec.of("tasks", "Task_Id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableSpec.of("tasks")).hasMessage("table tasks needs its key columns");
    assertThatThrownBy(() -> TableSpec.of("tasks", "task_id").excluding("task_id"))
        .hasMessage("key column task_id of tasks must be as is");
    assertThatThrownBy(
            () -> TableSpec.of("tasks", "task_id").rendering("task_id", "lower(task_id)"))
        .hasMessage("key column task_id of tasks must be as is");
    TableSpec t =
        TableSpec.of("t", "k").excluding("updated_at").rendering("n", "abs(n)").onlyRows("n > 0");
    assertThat(t.excluded()).containsExactly("updated_at");
    assertThat(t.renderings()).containsEntry("n", "abs(n)");
    assertThat(t.rowsWhere()).isEqualTo("n > 0");
  }

  @Test
  void deferringIndexes_addsInOrder_keptByEveryWither_andRefusesUnsafeOrRepeatedNames() {
    TableSpec t =
        TableSpec.of("tasks", "task_id")
            .deferringIndexes("tasks_list_order")
            .excluding("updated_at")
            .rendering("n", "abs(n)")
            .onlyRows("n > 0")
            .deferringIndexes("tasks_newest_first", "tasks_updated_first");
    assertThat(t.deferredIndexes())
        .containsExactly("tasks_list_order", "tasks_newest_first", "tasks_updated_first");
    assertThat(t.excluded()).containsExactly("updated_at");
    assertThat(TableSpec.of("tasks", "task_id").deferredIndexes()).isEmpty();
    assertThatThrownBy(() -> TableSpec.of("tasks", "task_id").deferringIndexes("i; DROP TABLE x"))
        .hasMessage("not a plain lower-case identifier: i; DROP TABLE x");
    assertThatThrownBy(
            () ->
                TableSpec.of("tasks", "task_id")
                    .deferringIndexes("tasks_list_order")
                    .deferringIndexes("tasks_list_order"))
        .hasMessage("table tasks defers an index twice");
  }

  @Test
  void progressLine_saysDoneOfTotal_rate_andEta() {
    assertThat(RebuildRun.line(250_000, 1_000_000, 10_000_000_000L))
        .isEqualTo("rebuild: 250,000 / 1,000,000 events (25.0%), 25,000 events/s, ETA 30 s");
    assertThat(RebuildRun.line(100_000, 1_000_000, 10_000_000_000L))
        .isEqualTo("rebuild: 100,000 / 1,000,000 events (10.0%), 10,000 events/s, ETA 1m30s");
    assertThat(RebuildRun.line(0, 1_000, 1_000_000_000L))
        .isEqualTo("rebuild: 0 / 1,000 events (0.0%), 0 events/s, ETA ?");
  }
}

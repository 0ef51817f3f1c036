package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jetmesh.orchestrator.projection.DeferredIndexes.IndexNotRestoredException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What {@link DeferredIndexes#restore} makes of records that are not simply an index to create
 * again: records of indexes this version does not defer, definitions edited into something else, a
 * name taken meanwhile, a table or column that is gone. Each test leaves the schema as the
 * migrations made it.
 */
class DeferredIndexRecordsIT {
  /** One declared index, dropped and recorded as a rebuild does. */
  private static final List<TableSpec> LIST_ORDER =
      List.of(TableSpec.of("tasks", "task_id").deferringIndexes("tasks_list_order"));

  static IndexSql sql;
  final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void up() throws Exception {
    sql = IndexSql.withOneTask();
  }

  @AfterAll
  static void down() {
    sql.close();
  }

  @BeforeEach
  void listen() {
    log.start();
    ((Logger) LoggerFactory.getLogger(RecordedIndex.class)).addAppender(log);
  }

  @AfterEach
  void asMigrated() throws Exception {
    ((Logger) LoggerFactory.getLogger(RecordedIndex.class)).detachAppender(log);
    sql.assertAsMigrated();
  }

  @Test
  void givenARecordOfAnIndexThisVersionDoesNotDefer_whenRestored_thenItCreatesNothing_andGoes()
      throws Exception {
    sql.execute(
        "INSERT INTO rebuild_deferred_index (name, table_name, definition) VALUES ('tasks_title',"
            + " 'tasks', 'CREATE INDEX tasks_title ON public.tasks USING btree (title)')");

    assertThat(DeferredIndexes.restore(sql.db(), sql.tables(), line -> {})).isZero();

    assertThat(sql.indexes()).doesNotContainKey("tasks_title");
    assertThat(warnings())
        .containsExactly(
            "rebuild_deferred_index records index tasks_title of table tasks, which this version's"
                + " projections do not declare deferrable (TableSpec.deferringIndexes): the record"
                + " is deleted, nothing created");
  }

  @Test
  void givenADefinitionEditedIntoAnythingElse_whenRestored_thenNoneOfItRuns_andTheRecordStays()
      throws Exception {
    List<String> edits =
        List.of(
            literal(sql.migrated().get("tasks_list_order") + "; DROP TABLE nodes"),
            "'CREATE TABLE planted (x integer)'",
            "'CREATE INDEX tasks_list_order ON public.nodes USING btree (node_id)'",
            "'CREATE INDEX tasks_list_order ON public.tasks USING btree (title) /*; */'");
    for (String edit : edits) {
      sql.inTransaction(c -> DeferredIndexes.drop(c, LIST_ORDER));
      sql.execute("UPDATE rebuild_deferred_index SET definition = " + edit);

      assertThatThrownBy(() -> DeferredIndexes.restore(sql.db(), sql.tables(), line -> {}))
          .as(edit)
          .isInstanceOf(IndexNotRestoredException.class)
          .hasMessageStartingWith(
              "index tasks_list_order of table tasks cannot be created again from its record in"
                  + " rebuild_deferred_index: its definition is not one CREATE INDEX"
                  + " tasks_list_order ON public.tasks statement as pg_get_indexdef writes it, so"
                  + " it is not run: ");

      assertThat(sql.rows("SELECT to_regclass('nodes') IS NOT NULL, to_regclass('planted')"))
          .containsExactly("t|null");
      assertThat(sql.pending()).containsExactly("tasks_list_order");
      assertThat(sql.indexes()).doesNotContainKey("tasks_list_order");
      sql.execute(
          "UPDATE rebuild_deferred_index SET definition = "
              + literal(sql.migrated().get("tasks_list_order")));
      assertThat(DeferredIndexes.restore(sql.db(), sql.tables(), line -> {})).isEqualTo(1);
    }
  }

  @Test
  void givenTheSameIndexMadeAgainMeanwhile_whenRestored_thenTheRecordGoesQuietly_countingNone()
      throws Exception {
    sql.inTransaction(c -> DeferredIndexes.drop(c, LIST_ORDER));
    sql.execute(sql.migrated().get("tasks_list_order")); // by hand, as the migration made it
    List<String> said = new ArrayList<>();

    assertThat(DeferredIndexes.restore(sql.db(), sql.tables(), said::add)).as("created").isZero();

    assertThat(said)
        .containsExactly("index tasks_list_order on tasks exists already: record deleted");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void givenAnotherRelationOfThatNameMeanwhile_whenRestored_thenItIsKept_andTheRecordGoesLoudly()
      throws Exception {
    for (String other :
        List.of(
            "CREATE INDEX tasks_list_order ON tasks (title)",
            "CREATE INDEX tasks_list_order ON nodes (node_id)",
            "CREATE TABLE tasks_list_order (x integer)")) {
      sql.inTransaction(c -> DeferredIndexes.drop(c, LIST_ORDER));
      sql.execute(other);
      String before = relation();
      log.list.clear();

      assertThat(DeferredIndexes.restore(sql.db(), sql.tables(), line -> {})).as(other).isZero();

      assertThat(relation()).as("kept").isEqualTo(before);
      assertThat(sql.pending()).isEmpty();
      assertThat(warnings())
          .singleElement()
          .asString()
          .startsWith(
              "NOT RESTORED: index tasks_list_order of table tasks recorded in"
                  + " rebuild_deferred_index was not created again: a relation of that name"
                  + " exists already and differs, and is kept.")
          .contains("The record, now deleted, said: " + sql.migrated().get("tasks_list_order"));
      sql.execute("DROP " + (other.contains("TABLE") ? "TABLE" : "INDEX") + " tasks_list_order");
      sql.execute(sql.migrated().get("tasks_list_order"));
    }
  }

  @Test
  void givenATableOrColumnThatIsGone_whenRestored_thenTheRecordGoesWithAWarning() throws Exception {
    List<TableSpec> scratch =
        List.of(TableSpec.of("scratch_rows", "id").deferringIndexes("scratch_rows_note"));
    sql.execute("CREATE TABLE scratch_rows (id integer PRIMARY KEY, note text)");
    sql.execute("CREATE INDEX scratch_rows_note ON scratch_rows (note)");
    sql.inTransaction(c -> DeferredIndexes.drop(c, scratch));
    sql.execute("ALTER TABLE scratch_rows DROP COLUMN note"); // as a later migration might

    assertThat(DeferredIndexes.restore(sql.db(), scratch, line -> {})).isZero();

    assertThat(sql.pending()).isEmpty();
    sql.execute("ALTER TABLE scratch_rows ADD COLUMN note text");
    sql.execute("CREATE INDEX scratch_rows_note ON scratch_rows (note)");
    sql.inTransaction(c -> DeferredIndexes.drop(c, scratch));
    sql.execute("DROP TABLE scratch_rows");

    assertThat(DeferredIndexes.restore(sql.db(), scratch, line -> {})).isZero();

    assertThat(warnings())
        .containsExactly(
            "index scratch_rows_note of table scratch_rows recorded in rebuild_deferred_index is"
                + " not created again (ERROR: column \"note\" does not exist (SQLSTATE 42703)):"
                + " the record is deleted",
            "index scratch_rows_note of table scratch_rows recorded in rebuild_deferred_index is"
                + " not created again (table scratch_rows does not exist): the record is deleted");
  }

  /** What is named tasks_list_order now: its kind, and its definition if an index. */
  private static String relation() {
    return String.join(
        "\n",
        sql.rows(
            "SELECT relkind, pg_get_indexdef(oid) FROM pg_class WHERE relname = 'tasks_list_order'"
                + " AND relnamespace = 'public'::regnamespace"));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}

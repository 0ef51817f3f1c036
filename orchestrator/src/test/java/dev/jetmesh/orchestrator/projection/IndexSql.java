package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test's mesh for the tests of deferred indexes, with a pool to its database, this version's
 * tables ({@link #tables}) and the indexes as the migrations made them ({@link #migrated}, read
 * when it was made); and what those tests ask of the database, on plain connections (none of them
 * pooled, so none keeps a lock or a session once a call returns), the SQL that docs/operations.md
 * gives run as the page writes it.
 */
final class IndexSql implements AutoCloseable {
  /** The query docs/operations.md gives for the indexes a rebuild left dropped. */
  private static final Pattern PENDING_QUERY =
      Pattern.compile(
          "<!--\\s*query: rebuild-pending-indexes\\s*-->\\s*```sql\\n(.*?)```", Pattern.DOTALL);

  private final TestMesh mesh;
  private final Database db;
  private final List<TableSpec> tables;
  private final Map<String, String> migrated;

  private IndexSql(TestMesh mesh, int connections) throws InterruptedException {
    this.mesh = mesh;
    var c = mesh.config();
    this.db = Database.connect(c.dbUrl(), c.dbUser(), c.dbPassword(), connections);
    try (io.nats.client.Connection nc = Orchestrator.connectNats(c.natsUrl(), null)) {
      this.tables = Rebuild.tables(Orchestrator.projections(c, nc, db));
    }
    this.migrated = indexes();
  }

  /** {@code mesh}, its orchestrator stopped, with a pool of {@code connections} to its database. */
  static IndexSql on(TestMesh mesh, int connections) throws InterruptedException {
    return new IndexSql(mesh, connections);
  }

  /**
   * A mesh whose stream and read model hold one task, with its orchestrator stopped, and a pool of
   * four connections to its database.
   */
  static IndexSql withOneTask() throws InterruptedException {
    TestMesh mesh = TestMesh.start(Map.of());
    try (MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "one", "title", "one"));
    }
    mesh.awaitProjected();
    mesh.stopOrchestrator();
    return on(mesh, 4);
  }

  TestMesh mesh() {
    return mesh;
  }

  Database db() {
    return db;
  }

  /** The tables of this version's projections, with the indexes they defer. */
  List<TableSpec> tables() {
    return tables;
  }

  /** Every index of the schema, name → definition, as the migrations made them. */
  Map<String, String> migrated() {
    return migrated;
  }

  /**
   * Fails the test unless no record is left and the indexes are as the migrations made them, after
   * putting them back so, so that the next test has its start however this one ended.
   */
  void assertAsMigrated() throws SQLException {
    List<String> pending = pending();
    Map<String, String> now = indexes();
    repair();
    assertThat(pending).as("records left").isEmpty();
    assertThat(now).isEqualTo(migrated);
  }

  @Override
  public void close() {
    db.close();
    mesh.close();
  }

  /** Every index of the read model's schema: name → definition. */
  Map<String, String> indexes() {
    Map<String, String> out = new TreeMap<>();
    for (String row :
        rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")) {
      int bar = row.indexOf('|');
      out.put(row.substring(0, bar), row.substring(bar + 1));
    }
    return out;
  }

  /** Puts the indexes back as the migrations made them, and deletes every record. */
  private void repair() throws SQLException {
    execute("DELETE FROM " + DeferredIndexes.TABLE);
    Map<String, String> now = indexes();
    for (var e : now.entrySet()) {
      if (!e.getValue().equals(migrated.get(e.getKey()))) {
        execute("DROP INDEX " + e.getKey());
      }
    }
    for (var e : migrated.entrySet()) {
      if (!e.getValue().equals(now.get(e.getKey()))) {
        execute(e.getValue());
      }
    }
  }

  /** The names docs/operations.md's query lists. */
  List<String> pending() {
    Matcher m = PENDING_QUERY.matcher(operationsPage());
    assertThat(m.find()).as("the query in docs/operations.md").isTrue();
    return rows(m.group(1)).stream().map(r -> r.split("\\|")[0]).toList();
  }

  /**
   * The statement docs/operations.md gives in backquotes that starts with {@code start}, with
   * {@code <index>} replaced by {@code index}.
   */
  static String documented(String start, String index) {
    Matcher m = Pattern.compile("`(" + Pattern.quote(start) + "[^`]*)`").matcher(operationsPage());
    assertThat(m.find()).as("docs/operations.md gives " + start + "…").isTrue();
    return m.group(1).replace("<index>", index);
  }

  private static String operationsPage() {
    try {
      return Files.readString(Path.of("../docs/operations.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows as {@code a|b|c}. */
  List<String> rows(String sql) {
    List<String> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder(String.valueOf(rs.getString(1)));
        for (int i = 2; i <= n; i++) {
          row.append('|').append(rs.getString(i));
        }
        out.add(row.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    return out;
  }

  void execute(String sql) throws SQLException {
    try (Connection c = mesh.db().connect()) {
      execute(c, sql);
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Takes the projector's leader lock on {@code c}, as a running rebuild holds it. */
  void lock(Connection c) throws SQLException {
    mesh.lockProjector(c);
  }

  @FunctionalInterface
  interface Work {
    void run(Connection c) throws Exception;
  }

  /** {@code w} in one transaction of a pooled connection of {@link #db}. */
  void inTransaction(Work w) throws Exception {
    try (Connection c = db.rawConnection()) {
      c.setAutoCommit(false);
      w.run(c);
      c.commit();
    }
  }
}

package dev.jetmesh.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An orchestrator says when nothing will vacuum or analyse its read models: the settings are the
 * server's, so the first case follows whatever this server has, and the second turns {@code
 * track_counts} off for its own sessions (autovacuum needs it; only a superuser may, as the test
 * user is), which warns on any server. What operations.md tells people to run instead does both to
 * every table.
 */
class DatabaseUpkeepIT {
  private static final Path OPERATIONS = Path.of("../docs/operations.md");
  private static final Pattern UPKEEP =
      Pattern.compile("<!--\\s*query: upkeep-vacuum\\s*-->\\s*```sql\\n(.*?)```", Pattern.DOTALL);

  static TestDatabase tdb;
  final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void up() {
    tdb = TestDatabase.create();
  }

  @AfterAll
  static void down() {
    tdb.close();
  }

  @BeforeEach
  void listen() {
    log.start();
    ((Logger) LoggerFactory.getLogger(Database.class)).addAppender(log);
  }

  @AfterEach
  void stopListening() {
    ((Logger) LoggerFactory.getLogger(Database.class)).detachAppender(log);
  }

  @Test
  void onThisServer_itWarnsExactlyWhenAutovacuumDoesNotRun() throws Exception {
    boolean runs;
    try (Connection c = tdb.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('autovacuum') = 'on'"
                    + " AND current_setting('track_counts') = 'on'")) {
      rs.next();
      runs = rs.getBoolean(1);
    }

    try (Database db = Database.connect(tdb.url(), tdb.user(), tdb.password(), 1)) {
      assertThat(db.checkUpkeep()).isEqualTo(runs);
    }
    assertThat(warnings()).hasSize(runs ? 0 : 1);

    try (TestMesh mesh = TestMesh.start(Map.of())) {
      assertThat(warnings()).as("an orchestrator that serves checks too").hasSize(runs ? 0 : 2);
    }
  }

  @Test
  void withoutTheCountsAutovacuumNeeds_itWarns_namingWhatToDo() {
    String url =
        tdb.url() + (tdb.url().contains("?") ? "&" : "?") + "options=-c%20track_counts%3Doff";

    try (Database db = Database.connect(url, tdb.user(), tdb.password(), 1)) {
      assertThat(db.checkUpkeep()).isFalse();
    }

    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("autovacuum does not run")
        .contains("VACUUM ANALYZE")
        .contains("docs/operations.md")
        .doesNotContain("track_counts%3Doff"); // the URL's parameters may hold a password
  }

  @Test
  void theUpkeepQueryOfTheDocs_vacuumsAndAnalysesEveryTable() throws Exception {
    Matcher m = UPKEEP.matcher(Files.readString(OPERATIONS));
    assertThat(m.find()).as("docs/operations.md has the upkeep-vacuum query").isTrue();
    try (Database db = Database.connect(tdb.url(), tdb.user(), tdb.password(), 2)) {
      db.migrate();
    }

    try (Connection c = tdb.connect();
        Statement s = c.createStatement()) {
      s.execute(m.group(1).strip()); // autocommit: VACUUM runs outside a transaction block
    }

    List<String> notDone = new ArrayList<>();
    try (Connection c = tdb.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT relname, vacuum_count, analyze_count FROM pg_stat_user_tables"
                    + " WHERE schemaname = 'public'")) {
      while (rs.next()) {
        if (rs.getLong(2) == 0 || rs.getLong(3) == 0) {
          notDone.add(rs.getString(1));
        }
      }
    }
    assertThat(notDone).as("tables not vacuumed or not analysed").isEmpty();
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}

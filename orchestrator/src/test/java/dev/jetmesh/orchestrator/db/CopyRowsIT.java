package dev.jetmesh.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Values that COPY's text format gives meaning to arrive unchanged, through a real Postgres. */
class CopyRowsIT {
  static TestDatabase db;

  @BeforeAll
  static void up() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void down() {
    db.close();
  }

  private static final List<String> HOSTILE =
      List.of(
          "tab\there",
          "new\nline",
          "carriage\rreturn",
          "back\\slash \\N \\t",
          "\\N",
          "quote \" and {braces}, commas",
          "",
          "NULL",
          "unicode é ✓ 😀",
          "'; DROP TABLE t; --");

  @Test
  void hostileTextAndArrays_roundTrip_andNullStaysNull() throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE t (n bigint, s text, a text[], at timestamptz, j jsonb, maybe bigint)");
      CopyRows rows = new CopyRows();
      Instant at = Instant.parse("2026-11-25T02:14:21.123Z");
      for (int i = 0; i < HOSTILE.size(); i++) {
        String v = HOSTILE.get(i);
        rows.number(i)
            .text(v)
            .textArray(List.of(v, "x", v))
            .time(at)
            .text(
                "{\"v\":\""
                    + v.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r")
                        .replace("\t", "\\t")
                    + "\"}")
            .number(i % 2 == 0 ? null : (Number) Long.valueOf(i))
            .endRow();
      }
      rows.number(99).text(null).textArray(List.of()).time(null).text(null).number(null).endRow();
      assertThat(rows.copyInto(c, "t", "n, s, a, at, j, maybe")).isEqualTo(HOSTILE.size() + 1);

      try (ResultSet rs = st.executeQuery("SELECT n, s, a, at, j->>'v', maybe FROM t ORDER BY n")) {
        for (int i = 0; i < HOSTILE.size(); i++) {
          assertThat(rs.next()).isTrue();
          String v = HOSTILE.get(i);
          assertThat(rs.getString(2)).isEqualTo(v);
          Array a = rs.getArray(3);
          assertThat(Arrays.asList((String[]) a.getArray())).containsExactly(v, "x", v);
          assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(at);
          assertThat(rs.getString(5)).isEqualTo(v);
          assertThat(rs.getObject(6)).isEqualTo(i % 2 == 0 ? null : Long.valueOf(i));
        }
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(99);
        assertThat(rs.getString(2)).isNull();
        assertThat((String[]) rs.getArray(3).getArray()).isEmpty();
        assertThat(rs.getTimestamp(4)).isNull();
        assertThat(rs.getString(5)).isNull();
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void preRenderedRows_areSentAsTheyWereRendered() throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE r (n bigint, s text)");
      List<String> rendered = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        rendered.add(new CopyRows(64).number(i).text("row\t" + i).endRow().rendered());
      }
      CopyRows batch = new CopyRows();
      rendered.forEach(r -> batch.rows(r, 1));
      assertThat(batch.rows()).isEqualTo(3);
      assertThat(batch.copyInto(c, "r", "n, s")).isEqualTo(3);
      try (ResultSet rs = st.executeQuery("SELECT string_agg(s, '|' ORDER BY n) FROM r")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("row\t0|row\t1|row\t2");
      }
    }
  }

  @Test
  void nothingToCopy_sendsNothing() throws Exception {
    try (Connection c = db.connect()) {
      assertThat(new CopyRows().copyInto(c, "no_such_table", "x")).isZero();
    }
  }
}

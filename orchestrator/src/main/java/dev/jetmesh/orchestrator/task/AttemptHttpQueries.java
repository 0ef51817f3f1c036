package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.orchestrator.store.Transcripts;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.AttemptOutcome;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read API's SQL over attempts ({@code task_attempts}): a task's attempts, one of them by its
 * place in the task's history, and filtered pages across tasks, newest first (their primary key,
 * the stream sequence). Each attempt carries its place, as the route of its transcript.
 * Thread-safe.
 */
public final class AttemptHttpQueries {
  static final String ATTEMPTS = "attempts";

  private final Jdbi jdbi;

  public AttemptHttpQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** One attempt, as the attempt listing and a task's detail show it. */
  public record AttemptView(
      String taskId,
      @Nullable Integer attempt,
      @Nullable String nodeId,
      @Nullable String provider,
      @Nullable String model,
      AttemptOutcome outcome,
      @Nullable Integer exitCode,
      @Nullable Long durationMs,
      @Nullable BigDecimal metricScore,
      @Nullable Long tokensIn,
      @Nullable Long tokensOut,
      @Nullable BigDecimal costUsd,
      @Nullable Instant startedAt,
      Instant endedAt,
      long seq,
      boolean keep,
      @Nullable Boolean metricPassed,
      @Nullable JsonNode tokens,
      @Nullable String approach,
      @Nullable String result,
      @Nullable JsonNode output,
      AttemptLinks links) {}

  /**
   * Routes about one attempt: {@code output} serves its transcript; null when it kept none in
   * {@value Transcripts#BUCKET}.
   */
  public record AttemptLinks(@Nullable String output) {}

  /** The filters of {@code GET /api/attempts}; null: not filtered. */
  public record AttemptFilter(
      @Nullable String taskId,
      @Nullable String provider,
      @Nullable String model,
      @Nullable String nodeId,
      @Nullable AttemptOutcome outcome,
      @Nullable Instant since) {}

  /** Every attempt of one task, oldest first. */
  public List<AttemptView> attemptsOf(String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT *, row_number() OVER (ORDER BY seq) AS ordinal FROM task_attempts"
                        + " WHERE task_id = :t ORDER BY seq")
                .bind("t", taskId)
                .map((rs, ctx) -> attempt(rs))
                .list());
  }

  /**
   * The {@code n}th attempt recorded for a task (1: its first; attempts are appended, never
   * replaced, so the number stays), or empty when it has fewer. Not the attempt's own {@code
   * attempt} field, which the worker counts again from 1 on each claim.
   */
  public Optional<AttemptView> nthAttempt(String taskId, int n) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT *, CAST(:n AS bigint) AS ordinal FROM task_attempts"
                        + " WHERE task_id = :t ORDER BY seq OFFSET :n - 1 LIMIT 1")
                .bind("t", taskId)
                .bind("n", n)
                .map((rs, ctx) -> attempt(rs))
                .findOne());
  }

  /** A page of attempts across tasks, newest first, after {@code after} (null: the first page). */
  public Page<AttemptView> attempts(AttemptFilter f, Cursor.@Nullable Position after, int limit) {
    AttemptOutcome o = f.outcome();
    Where w =
        new Where()
            .and("task_id = :task", "task", f.taskId())
            .and("provider = :provider", "provider", f.provider())
            .and("model = :model", "model", f.model())
            .and("node_id = :node", "node", f.nodeId())
            .and("recorded_at >= :since", "since", f.since())
            .and("seq < :after", "after", after == null ? null : after.number(0))
            .andIf(o == AttemptOutcome.KEPT, "keep")
            .andIf(o == AttemptOutcome.METRIC_FAILED, "NOT keep AND metric_passed IS FALSE")
            .andIf(o == AttemptOutcome.FAILED, "NOT keep AND metric_passed IS NOT FALSE")
            .bind("n", limit + 1);
    return Page.of(
        w.list(
            jdbi,
            "SELECT *, (SELECT count(*) FROM task_attempts y WHERE y.task_id ="
                + " task_attempts.task_id AND y.seq <= task_attempts.seq) AS ordinal"
                + " FROM task_attempts"
                + w.sql()
                + " ORDER BY seq DESC LIMIT :n",
            (rs, ctx) -> {
              AttemptView a = attempt(rs);
              return new Page.Keyed<>(a, Cursor.encode(ATTEMPTS, a.seq()));
            }),
        limit);
  }

  private static AttemptView attempt(ResultSet rs) throws SQLException {
    JsonNode tokens = json(rs.getString("tokens"));
    Long duration = rs.getObject("duration_ms", Long.class);
    Instant ended = rs.getTimestamp("recorded_at").toInstant();
    boolean keep = rs.getBoolean("keep");
    Boolean metricPassed = rs.getObject("metric_passed", Boolean.class);
    String taskId = rs.getString("task_id");
    JsonNode output = json(rs.getString("output"));
    return new AttemptView(
        taskId,
        rs.getObject("attempt", Integer.class),
        rs.getString("node_id"),
        rs.getString("provider"),
        rs.getString("model"),
        AttemptOutcome.of(keep, metricPassed),
        rs.getObject("exit_code", Integer.class),
        duration,
        rs.getBigDecimal("metric_score"),
        count(tokens, "input"),
        count(tokens, "output"),
        rs.getBigDecimal("cost_usd"),
        duration == null ? null : ended.minusMillis(duration),
        ended,
        rs.getLong("seq"),
        keep,
        metricPassed,
        tokens,
        rs.getString("approach"),
        rs.getString("result"),
        output,
        new AttemptLinks(outputLink(taskId, rs.getLong("ordinal"), output)));
  }

  /** The route of a transcript kept where the API can serve it, else null. */
  private static @Nullable String outputLink(String taskId, long n, @Nullable JsonNode output) {
    boolean served =
        output != null
            && Transcripts.BUCKET.equals(output.path("bucket").asText())
            && output.path("name").isTextual();
    return served ? "/api/tasks/" + taskId + "/attempts/" + n + "/output" : null;
  }

  private static @Nullable Long count(@Nullable JsonNode tokens, String field) {
    JsonNode n = tokens == null ? null : tokens.get(field);
    return n != null && n.isIntegralNumber() ? n.asLong() : null;
  }

  private static @Nullable JsonNode json(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable task_attempts document: " + e.getMessage(), e);
    }
  }
}

package dev.jetmesh.schema.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Requests of the {@code mesh.tasks.*} subjects. Fields are boxed so that a missing field can be
 * told from a zero; validation and defaults live in the orchestrator's decoder, which turns these
 * into commands.
 */
public final class TaskRequests {
  private TaskRequests() {}

  /**
   * {@code mesh.tasks.submit}: the task fields the reference keeps (REFERENCE.md section 2), then
   * jetmesh's metric score target and money budget.
   */
  public record Submit(
      String taskId,
      String title,
      String description,
      Integer budgetMinutes,
      String metric,
      String onFail,
      List<String> scope,
      List<String> successCriteria,
      List<String> dependsOn,
      List<String> tags,
      List<String> preferredNodes,
      List<String> excludeNodes,
      Integer priority,
      String llmProvider,
      String llmModel,
      JsonNode collaboration,
      @Nullable BigDecimal metricThreshold,
      @Nullable String metricDirection,
      @Nullable BigDecimal budgetUsd) {}

  /** {@code mesh.tasks.claim}. */
  public record Claim(String nodeId) {}

  /** {@code mesh.tasks.start} and {@code mesh.tasks.get}. */
  public record Ref(String taskId, @Nullable String nodeId, @Nullable Long claimToken) {}

  /** {@code mesh.tasks.complete}. */
  public record Complete(
      String taskId,
      @Nullable JsonNode result,
      @Nullable String nodeId,
      @Nullable Long claimToken) {}

  /** {@code mesh.tasks.fail} and {@code mesh.tasks.release}. */
  public record Fail(
      String taskId,
      @Nullable String reason,
      @Nullable List<Attempt> attempts,
      @Nullable String nodeId,
      @Nullable Long claimToken) {}

  /** {@code mesh.tasks.cancel}. */
  public record Cancel(String taskId, String reason, String nodeId) {}

  /**
   * {@code mesh.tasks.attempt}: the reference's {@code {task_id, approach, result, keep}} plus
   * optional structured fields the jetmesh worker fills in.
   */
  public record RecordAttempt(
      String taskId,
      String approach,
      String result,
      @Nullable Boolean keep,
      @Nullable Integer attempt,
      @Nullable String provider,
      @Nullable String model,
      @Nullable Integer exitCode,
      @Nullable Boolean metricPassed,
      @Nullable BigDecimal metricScore,
      @Nullable Long durationMs,
      @Nullable BigDecimal costUsd,
      @Nullable JsonNode tokens,
      dev.jetmesh.schema.model.@Nullable OutputRef output,
      @Nullable String nodeId,
      @Nullable Long claimToken) {}

  /** {@code mesh.tasks.list}. */
  public record ListTasks(
      @Nullable String status,
      @Nullable String owner,
      @Nullable String tag,
      @Nullable Integer limit) {}

  /** Reply of {@code mesh.tasks.heartbeat}. */
  public record HeartbeatAck(String taskId, java.time.Instant lastActivity) {}
}

package dev.jetmesh.schema.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import java.math.BigDecimal;
import java.util.List;

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
      BigDecimal metricThreshold,
      String metricDirection,
      BigDecimal budgetUsd) {}

  /** {@code mesh.tasks.claim}. */
  public record Claim(String nodeId) {}

  /** {@code mesh.tasks.start} and {@code mesh.tasks.get}. */
  public record Ref(String taskId, String nodeId, Long claimToken) {}

  /** {@code mesh.tasks.complete}. */
  public record Complete(String taskId, JsonNode result, String nodeId, Long claimToken) {}

  /** {@code mesh.tasks.fail} and {@code mesh.tasks.release}. */
  public record Fail(
      String taskId, String reason, List<Attempt> attempts, String nodeId, Long claimToken) {}

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
      Boolean keep,
      Integer attempt,
      String provider,
      String model,
      Integer exitCode,
      Boolean metricPassed,
      BigDecimal metricScore,
      Long durationMs,
      BigDecimal costUsd,
      JsonNode tokens,
      dev.jetmesh.schema.model.OutputRef output,
      String nodeId,
      Long claimToken) {}

  /** {@code mesh.tasks.list}. */
  public record ListTasks(String status, String owner, String tag, Integer limit) {}

  /** Reply of {@code mesh.tasks.heartbeat}. */
  public record HeartbeatAck(String taskId, java.time.Instant lastActivity) {}
}

package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task as the reference replies with it (REFERENCE.md section 2), plus {@code claim_token}: the
 * stream sequence of the claim that made the current owner, which workers send back to fence their
 * commands, and {@code version}: the stream sequence of the last event applied. {@code
 * metric_threshold}, {@code metric_direction} and {@code budget_usd} are the submission's (see
 * {@link TaskSpec}).
 */
public record Task(
    String taskId,
    String title,
    String description,
    int budgetMinutes,
    @Nullable String metric,
    String onFail,
    List<String> scope,
    List<String> successCriteria,
    List<String> dependsOn,
    List<String> tags,
    List<String> preferredNodes,
    List<String> excludeNodes,
    int priority,
    @Nullable String llmProvider,
    @Nullable String llmModel,
    @Nullable JsonNode collaboration,
    @Nullable BigDecimal metricThreshold,
    @Nullable MetricDirection metricDirection,
    @Nullable BigDecimal budgetUsd,
    TaskStatus status,
    Instant createdAt,
    List<Attempt> attempts,
    @Nullable String collabSessionId,
    @Nullable String owner,
    @Nullable Instant claimedAt,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    @Nullable Instant budgetDeadline,
    @Nullable Instant lastActivity,
    @Nullable JsonNode result,
    @Nullable Long claimToken,
    long version) {

  public Task {
    attempts = List.copyOf(attempts);
    collaboration = TaskSpec.jsonOrNull(collaboration);
    result = TaskSpec.jsonOrNull(result);
  }

  /**
   * A freshly queued task. A task with a collaboration spec gets its session's id here, derived
   * from the task, so no further task event is needed to link them.
   */
  public static Task queued(TaskSpec s, Instant createdAt, long version) {
    return new Task(
        s.taskId(),
        s.title(),
        s.description(),
        s.budgetMinutes(),
        s.metric(),
        s.onFail(),
        s.scope(),
        s.successCriteria(),
        s.dependsOn(),
        s.tags(),
        s.preferredNodes(),
        s.excludeNodes(),
        s.priority(),
        s.llmProvider(),
        s.llmModel(),
        s.collaboration(),
        s.metricThreshold(),
        s.metricDirection(),
        s.budgetUsd(),
        TaskStatus.QUEUED,
        createdAt,
        List.of(),
        s.collaboration() == null ? null : CollabSpec.sessionIdFor(s.taskId(), createdAt),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        version);
  }

  /**
   * The tag of a plan's parent task: no worker may claim it, since its plan does its work and
   * settles it (completes it once the plan completes). Submit the parent with this tag, then create
   * the plan; without it a worker can claim the parent in between and do the whole task alone.
   */
  public static final String PLAN_PARENT_TAG = "plan-parent";

  /**
   * Whether the task waits for its plan to settle it rather than for a worker ({@link
   * #PLAN_PARENT_TAG}).
   */
  public boolean heldForPlan() {
    return tags != null && tags.contains(PLAN_PARENT_TAG);
  }

  /** Builder-style copy; used by {@code evolve} so that each transition names what it changes. */
  public Mutable toMutable() {
    return new Mutable(this);
  }

  /** A mutable copy of a task, for building the next state. Not thread-safe; never shared. */
  public static final class Mutable {
    private final Task base;
    public TaskStatus status;
    public List<Attempt> attempts;
    public @Nullable String collabSessionId;
    public @Nullable String owner;
    public @Nullable Instant claimedAt;
    public @Nullable Instant startedAt;
    public @Nullable Instant completedAt;
    public @Nullable Instant budgetDeadline;
    public @Nullable Instant lastActivity;
    public @Nullable JsonNode result;
    public @Nullable Long claimToken;
    public List<String> tags;
    public long version;

    private Mutable(Task t) {
      base = t;
      tags = t.tags;
      status = t.status;
      attempts = new ArrayList<>(t.attempts);
      collabSessionId = t.collabSessionId;
      owner = t.owner;
      claimedAt = t.claimedAt;
      startedAt = t.startedAt;
      completedAt = t.completedAt;
      budgetDeadline = t.budgetDeadline;
      lastActivity = t.lastActivity;
      result = t.result;
      claimToken = t.claimToken;
      version = t.version;
    }

    public Task build() {
      Task b = base;
      return new Task(
          b.taskId,
          b.title,
          b.description,
          b.budgetMinutes,
          b.metric,
          b.onFail,
          b.scope,
          b.successCriteria,
          b.dependsOn,
          tags,
          b.preferredNodes,
          b.excludeNodes,
          b.priority,
          b.llmProvider,
          b.llmModel,
          b.collaboration,
          b.metricThreshold,
          b.metricDirection,
          b.budgetUsd,
          status,
          b.createdAt,
          attempts,
          collabSessionId,
          owner,
          claimedAt,
          startedAt,
          completedAt,
          budgetDeadline,
          lastActivity,
          result,
          claimToken,
          version);
    }
  }
}

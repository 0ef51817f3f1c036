package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A plan as the reference's wire shows it, plus {@code success} (set on completion), {@code
 * abort_reason}, {@code budget_usd} (the money budget of all subtasks together, or null), {@code
 * waves_dispatched} (the highest wave whose {@code plan.wave_dispatched} was applied, + 1; 0 before
 * the first; not a count, since a wave whose subtasks were all blocked is never dispatched) and
 * {@code version}: the stream sequence of the last event applied.
 */
public record Plan(
    String planId,
    String parentTaskId,
    String title,
    String description,
    PlanStatus status,
    String planner,
    @Nullable String plannerSoul,
    boolean requiresApproval,
    List<Subtask> subtasks,
    int totalBudgetMinutes,
    @Nullable BigDecimal budgetUsd,
    int estimatedWaves,
    @Nullable String approvedBy,
    @Nullable Instant approvedAt,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    @Nullable Boolean success,
    @Nullable String abortReason,
    // Absent from rows written before waves were counted: read as 0 (the reactor then decides
    // from the statuses of the wave's subtasks, as it did before).
    @JsonSetter(nulls = Nulls.AS_EMPTY) int wavesDispatched,
    long version) {

  public Plan {
    subtasks = List.copyOf(subtasks);
  }

  /** The subtask with {@code id}, or null. */
  public @Nullable Subtask subtask(String id) {
    for (Subtask s : subtasks) {
      if (s.subtaskId().equals(id)) {
        return s;
      }
    }
    return null;
  }

  /** A mutable copy, for building the next state. Not thread-safe; never shared. */
  public Mutable toMutable() {
    return new Mutable(this);
  }

  /** A mutable copy of a plan. */
  public static final class Mutable {
    private final Plan b;
    public PlanStatus status;
    public final List<Subtask> subtasks;
    public @Nullable String approvedBy;
    public @Nullable Instant approvedAt;
    public @Nullable Instant startedAt;
    public @Nullable Instant completedAt;
    public @Nullable Boolean success;
    public @Nullable String abortReason;
    public int wavesDispatched;
    public long version;

    private Mutable(Plan p) {
      b = p;
      status = p.status;
      subtasks = new ArrayList<>(p.subtasks);
      approvedBy = p.approvedBy;
      approvedAt = p.approvedAt;
      startedAt = p.startedAt;
      completedAt = p.completedAt;
      success = p.success;
      abortReason = p.abortReason;
      wavesDispatched = p.wavesDispatched;
      version = p.version;
    }

    /** Replaces the subtask {@code id} with {@code f(subtask)}. */
    public void update(String id, java.util.function.UnaryOperator<Subtask> f) {
      for (int i = 0; i < subtasks.size(); i++) {
        if (subtasks.get(i).subtaskId().equals(id)) {
          subtasks.set(i, f.apply(subtasks.get(i)));
          return;
        }
      }
      throw new IllegalArgumentException("no subtask " + id + " in plan " + b.planId);
    }

    public Plan build() {
      return new Plan(
          b.planId,
          b.parentTaskId,
          b.title,
          b.description,
          status,
          b.planner,
          b.plannerSoul,
          b.requiresApproval,
          subtasks,
          b.totalBudgetMinutes,
          b.budgetUsd,
          b.estimatedWaves,
          approvedBy,
          approvedAt,
          b.createdAt,
          startedAt,
          completedAt,
          success,
          abortReason,
          wavesDispatched,
          version);
    }
  }

  /** {@code {success:false, summary}}: the result of a blocked or failed subtask. */
  public static JsonNode failure(String summary) {
    return dev.jetmesh.schema.Json.mapper()
        .createObjectNode()
        .put("success", false)
        .put("summary", summary);
  }
}

package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Spend;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskStatus;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The reactor's decisions for one executing plan: a pure function of the plan and the mesh tasks of
 * its dispatched subtasks, both as projected. Each {@link Step} is one decision with a key that
 * names it uniquely within the plan ({@code subtask:<id>:completed}, {@code wave:<n>}, {@code
 * completed}), from which the appended events' ids are derived, so a decision taken twice is
 * appended once.
 *
 * <p>Waves run in order: wave n is dispatched when no subtask is in flight and every subtask of
 * earlier waves has finished, unless the plan's subtasks have spent its {@code budget_usd}. A
 * failed subtask blocks its (transitive) dependents at once; the others keep running, and the plan
 * completes, unsuccessfully, when nothing more can run.
 */
public final class PlanProgress {
  private PlanProgress() {}

  /** One decision: its key and the events that record it. */
  public record Step(String key, List<PlanEvent> events) {}

  /**
   * The steps to take, in order.
   *
   * @param tasks the projected mesh tasks of the plan's dispatched subtasks, by task id (absent
   *     when not projected yet)
   */
  public static List<Step> decide(Plan plan, Map<String, Task> tasks) {
    List<Step> steps = new ArrayList<>();
    if (plan.status() != PlanStatus.EXECUTING) {
      return steps;
    }
    Plan p = plan;
    for (Subtask s : plan.subtasks()) {
      if (s.status() != SubtaskStatus.QUEUED || s.meshTaskId() == null) {
        continue;
      }
      Task t = tasks.get(s.meshTaskId());
      if (t == null || !t.status().isTerminal()) {
        continue;
      }
      Step step = outcome(p, s, t);
      steps.add(step);
      p = apply(p, step.events());
    }
    Step next = next(p, spent(p, tasks));
    if (next != null) {
      steps.add(next);
    }
    return steps;
  }

  /**
   * What the plan's subtasks have spent: the attempts of the mesh tasks of its dispatched subtasks
   * (absent tasks, not projected yet, add nothing). Human, local and soul subtasks run no mesh task
   * and cost nothing here.
   */
  public static Spend spent(Plan p, Map<String, Task> tasks) {
    Spend s = Spend.NONE;
    for (Subtask st : p.subtasks()) {
      Task t = st.meshTaskId() == null ? null : tasks.get(st.meshTaskId());
      if (t != null) {
        s = s.plus(Spend.of(t.attempts()));
      }
    }
    return s;
  }

  /** What is left of the plan's money budget, or null when it has none. */
  public static @Nullable BigDecimal remaining(Plan p, Map<String, Task> tasks) {
    return p.budgetUsd() == null ? null : p.budgetUsd().subtract(spent(p, tasks).knownUsd());
  }

  private static Step outcome(Plan p, Subtask s, Task t) {
    String id = s.subtaskId();
    if (t.status() == TaskStatus.COMPLETED) {
      return new Step(
          "subtask:" + id + ":completed",
          List.of(new SubtaskCompleted(id, t.taskId(), t.owner(), t.result())));
    }
    String reason = summary(t.result(), t.status().wire());
    return new Step(
        "subtask:" + id + ":failed",
        PlanDecider.failAndBlock(
            p,
            new SubtaskFailed(id, t.taskId(), t.status().wire(), t.owner(), reason, t.result())));
  }

  /**
   * Completion, or the next wave, or nothing while subtasks are in flight. When a wave is due but
   * {@code spent} has reached the plan's {@code budget_usd}, the plan is aborted instead (reason
   * {@code budget_exceeded: ...}) and the remaining subtasks are blocked: no subtask is dispatched
   * over budget.
   */
  static @Nullable Step next(Plan p, Spend spent) {
    int completed = 0;
    int failed = 0;
    int blocked = 0;
    int nextWave = Integer.MAX_VALUE;
    boolean inFlight = false;
    for (Subtask s : p.subtasks()) {
      switch (s.status()) {
        case COMPLETED -> completed++;
        case FAILED -> failed++;
        case BLOCKED -> blocked++;
        case QUEUED -> inFlight = true;
        case PENDING -> nextWave = Math.min(nextWave, s.wave());
      }
    }
    if (inFlight) {
      return nextWave != Integer.MAX_VALUE && begun(p, nextWave) ? wave(p, nextWave) : null;
    }
    if (nextWave == Integer.MAX_VALUE) {
      return new Step(
          "completed",
          List.of(
              new PlanCompleted(
                  failed == 0 && blocked == 0,
                  completed,
                  failed,
                  blocked,
                  summary(p.planId(), completed, failed, blocked))));
    }
    if (spent.reaches(p.budgetUsd())) {
      return new Step(
          Spend.BUDGET_EXCEEDED,
          PlanDecider.abortEvents(
              p,
              Spend.BUDGET_EXCEEDED
                  + ": "
                  + spent.exceededText(
                      Objects.requireNonNull(p.budgetUsd(), "a budget was reached"))));
    }
    return wave(p, nextWave);
  }

  /**
   * What a completed plan says of itself and of its parent: the reference's {@code Plan P completed
   * (n subtasks)} when every subtask succeeded; otherwise how many did, so that a plan whose
   * subtasks all failed does not read as done.
   */
  static String summary(String planId, int completed, int failed, int blocked) {
    int n = completed + failed + blocked;
    if (failed == 0 && blocked == 0) {
      return "Plan " + planId + " completed (" + n + " subtasks)";
    }
    return "Plan "
        + planId
        + " completed: "
        + completed
        + " of "
        + n
        + " subtasks succeeded ("
        + failed
        + " failed, "
        + blocked
        + " blocked)";
  }

  /** {@link #summary(String, int, int, int)} counted from a plan's subtasks. */
  static String summary(Plan p) {
    int completed = 0;
    int failed = 0;
    int blocked = 0;
    for (Subtask s : p.subtasks()) {
      switch (s.status()) {
        case COMPLETED -> completed++;
        case FAILED -> failed++;
        case BLOCKED -> blocked++;
        case PENDING, QUEUED -> {}
      }
    }
    return summary(p.planId(), completed, failed, blocked);
  }

  private static Step wave(Plan p, int wave) {
    List<PlanEvent> dispatched = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Subtask s : p.subtasks()) {
      if (s.status() != SubtaskStatus.PENDING || s.wave() != wave) {
        continue;
      }
      String unmet = unmetDependency(p, s);
      if (unmet != null) {
        // Cannot happen when failures block eagerly; kept so that a plan never hangs.
        dispatched.add(
            new SubtaskBlocked(
                s.subtaskId(), unmet, "Blocked: dependency " + unmet + " did not complete"));
        continue;
      }
      ids.add(s.subtaskId());
      dispatched.add(
          new SubtaskDispatched(
              s.subtaskId(),
              wave,
              s.delegation().mode(),
              s.delegation().isMesh() ? s.subtaskId() : null));
    }
    List<PlanEvent> events = new ArrayList<>();
    if (!ids.isEmpty() && !begun(p, wave)) {
      events.add(new WaveDispatched(wave, ids));
    }
    events.addAll(dispatched);
    return new Step("wave:" + wave, events);
  }

  /**
   * Whether {@code wave} has begun: its {@code plan.wave_dispatched} is in the log. A begun wave
   * that still has pending subtasks was cut short by a crash between its appends (they are separate
   * appends, {@code plan.wave_dispatched} first), so the rest is dispatched at once, without a
   * second one. A dispatched subtask of the wave shows it too, for plans projected before {@link
   * Plan#wavesDispatched} was recorded.
   */
  private static boolean begun(Plan p, int wave) {
    if (p.wavesDispatched() > wave) {
      return true;
    }
    for (Subtask s : p.subtasks()) {
      if (s.wave() == wave
          && switch (s.status()) {
            case QUEUED, COMPLETED, FAILED -> true;
            case PENDING, BLOCKED -> false;
          }) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable String unmetDependency(Plan p, Subtask s) {
    for (String d : s.dependsOn()) {
      if (Objects.requireNonNull(p.subtask(d)).status() != SubtaskStatus.COMPLETED) {
        return d;
      }
    }
    return null;
  }

  /** {@code events} folded into {@code p}, for deciding the next step in the same pass. */
  static Plan apply(Plan p, List<PlanEvent> events) {
    for (PlanEvent e : events) {
      Envelope env = Envelope.wrap(e, p.planId(), "orchestrator", null, Instant.EPOCH);
      p = PlanEvolver.evolve(p, new StoredEvent(p.version(), Subjects.planEvents(p.planId()), env));
    }
    return p;
  }

  private static String summary(@Nullable JsonNode result, String fallback) {
    if (result != null && result.path("summary").isTextual()) {
      return result.path("summary").asText();
    }
    return fallback;
  }
}

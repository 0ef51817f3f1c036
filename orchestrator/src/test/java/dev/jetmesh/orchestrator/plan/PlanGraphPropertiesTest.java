package dev.jetmesh.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jetmesh.orchestrator.testing.Property;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskStatus;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Properties of plan graphs over generated dependency graphs (1 to 12 subtasks, any shape): waves,
 * cycles, and the failure cascade, both in {@link PlanGraph} and through a whole run of {@link
 * PlanProgress} with some subtasks failing. Expected answers come from a plain search of the graph.
 */
class PlanGraphPropertiesTest {

  /** A generated graph ({@code id -> dependencies}, in insertion order) and a random source. */
  record Graph(Map<String, List<String>> deps, long seed) {
    @Override
    public String toString() {
      return deps.toString();
    }
  }

  /** Acyclic by construction: a subtask depends only on subtasks before it in a hidden order. */
  private static Graph anyDag(Random r) {
    int n = 1 + r.nextInt(12);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add("s" + i);
    }
    Collections.shuffle(order, r);
    Map<String, List<String>> deps = new HashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> d = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (r.nextInt(10) < 3) {
          d.add(order.get(j));
        }
      }
      Collections.shuffle(d, r);
      deps.put(order.get(i), d);
    }
    List<String> insertion = new ArrayList<>(order);
    Collections.shuffle(insertion, r);
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    insertion.forEach(id -> ordered.put(id, deps.get(id)));
    return new Graph(ordered, r.nextLong());
  }

  /** The graph without one subtask (and every dependency on it). */
  private static Stream<Graph> smaller(Graph g) {
    return g.deps().keySet().stream()
        .map(
            gone -> {
              Map<String, List<String>> m = new LinkedHashMap<>();
              g.deps()
                  .forEach(
                      (id, d) -> {
                        if (!id.equals(gone)) {
                          m.put(id, d.stream().filter(x -> !x.equals(gone)).toList());
                        }
                      });
              return new Graph(m, g.seed());
            })
        .filter(x -> !x.deps().isEmpty());
  }

  private static Property<Graph> dags() {
    return Property.forAll(PlanGraphPropertiesTest::anyDag)
        .shrinking(PlanGraphPropertiesTest::smaller);
  }

  /** Every subtask that depends on {@code id}, directly or not, by breadth-first search. */
  private static Set<String> dependents(String id, Map<String, List<String>> deps) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(id));
    while (!todo.isEmpty()) {
      String x = todo.poll();
      deps.forEach(
          (y, d) -> {
            if (d.contains(x) && seen.add(y)) {
              todo.add(y);
            }
          });
    }
    return seen;
  }

  // ---- waves
  // -------------------------------------------------------------------------------------

  @Test
  void waves_putEveryDependencyInAnEarlierWave_andEachSubtaskInTheFirstWaveItCan() {
    dags()
        .check(
            g -> {
              Map<String, Integer> w = PlanGraph.waves(g.deps());
              assertThat(w.keySet()).containsExactlyElementsOf(g.deps().keySet());
              g.deps()
                  .forEach(
                      (id, d) -> {
                        int lowest = d.stream().mapToInt(w::get).map(x -> x + 1).max().orElse(0);
                        assertThat(w.get(id)).as("wave of %s", id).isEqualTo(lowest);
                      });
            });
  }

  @Test
  void waves_doNotDependOnTheOrderSubtasksAreListedIn() {
    dags()
        .check(
            g -> {
              List<String> ids = new ArrayList<>(g.deps().keySet());
              Collections.shuffle(ids, new Random(g.seed()));
              Map<String, List<String>> reordered = new LinkedHashMap<>();
              ids.forEach(id -> reordered.put(id, g.deps().get(id)));
              assertThat(new HashMap<>(PlanGraph.waves(reordered)))
                  .isEqualTo(new HashMap<>(PlanGraph.waves(g.deps())));
            });
  }

  // ---- cycles
  // ------------------------------------------------------------------------------------

  @Test
  void cycles_areAlwaysRejected_namingACycleOfTheGraph() {
    dags()
        .check(
            g -> {
              Random r = new Random(g.seed());
              List<String> ids = new ArrayList<>(g.deps().keySet());
              String b = ids.get(r.nextInt(ids.size()));
              // b depends on a subtask that (transitively) depends on b, or on itself
              List<String> candidates = new ArrayList<>(dependents(b, g.deps()));
              candidates.add(b);
              Collections.sort(candidates);
              String a = candidates.get(r.nextInt(candidates.size()));
              Map<String, List<String>> cyclic = new LinkedHashMap<>(g.deps());
              List<String> bDeps = new ArrayList<>(cyclic.get(b));
              bDeps.add(a);
              cyclic.put(b, bDeps);

              Throwable t = catchThrowable(() -> PlanGraph.waves(cyclic));
              assertThat(t)
                  .as("%s -> %s", b, a)
                  .isInstanceOf(InvalidRequestException.class)
                  .hasMessageStartingWith("Dependency cycle among subtasks: ");
              List<String> named =
                  List.of(
                      t.getMessage()
                          .substring("Dependency cycle among subtasks: ".length())
                          .split(" -> "));
              assertThat(named.get(0)).isEqualTo(named.get(named.size() - 1));
              for (int i = 0; i + 1 < named.size(); i++) {
                assertThat(cyclic.get(named.get(i)))
                    .as("%s depends on %s", named.get(i), named.get(i + 1))
                    .contains(named.get(i + 1));
              }
            });
  }

  @Test
  void unknownDependencies_areAlwaysRejected() {
    dags()
        .check(
            g -> {
              String id = g.deps().keySet().iterator().next();
              Map<String, List<String>> bad = new LinkedHashMap<>(g.deps());
              List<String> d = new ArrayList<>(bad.get(id));
              d.add("ghost");
              bad.put(id, d);
              assertThatThrownBy(() -> PlanGraph.waves(bad))
                  .isInstanceOf(InvalidRequestException.class)
                  .hasMessage("Subtask " + id + " depends on unknown subtask ghost");
            });
  }

  // ---- failure cascade
  // ---------------------------------------------------------------------------

  @Test
  void dependentsOf_isExactlyTheTransitiveDependents() {
    dags()
        .check(
            g ->
                g.deps()
                    .keySet()
                    .forEach(
                        id ->
                            assertThat(PlanGraph.dependentsOf(id, g.deps()))
                                .as("dependents of %s", id)
                                .containsExactlyInAnyOrderElementsOf(dependents(id, g.deps()))));
  }

  @Test
  void aFailure_blocksEveryPendingTransitiveDependent_andNothingElse() {
    dags()
        .check(
            g -> {
              Plan p = PlanGiven.executing(g.deps());
              List<String> ids = new ArrayList<>(g.deps().keySet());
              String f = ids.get(new Random(g.seed()).nextInt(ids.size()));
              List<PlanEvent> events =
                  PlanDecider.failAndBlock(p, new SubtaskFailed(f, null, null, null, "x", null));
              Plan after = PlanProgress.apply(p, events);
              Set<String> dependents = dependents(f, g.deps());
              for (Subtask s : after.subtasks()) {
                SubtaskStatus expected =
                    s.subtaskId().equals(f)
                        ? SubtaskStatus.FAILED
                        : dependents.contains(s.subtaskId())
                            ? SubtaskStatus.BLOCKED
                            : SubtaskStatus.PENDING;
                assertThat(s.status()).as(s.subtaskId()).isEqualTo(expected);
              }
            });
  }

  @Test
  void aWholeRun_completesEverySubtaskItCan_failsTheFailing_andBlocksTheirDependents() {
    dags()
        .tries(300)
        .check(
            g -> {
              Random r = new Random(g.seed());
              Set<String> failing = new HashSet<>();
              g.deps()
                  .keySet()
                  .forEach(
                      id -> {
                        if (r.nextInt(5) == 0) {
                          failing.add(id);
                        }
                      });
              Plan end = run(PlanGiven.executing(g.deps()), failing);

              Set<String> doomed = new HashSet<>();
              failing.forEach(f -> doomed.addAll(dependents(f, g.deps())));
              for (Subtask s : end.subtasks()) {
                String id = s.subtaskId();
                SubtaskStatus expected =
                    doomed.contains(id)
                        ? SubtaskStatus.BLOCKED
                        : failing.contains(id) ? SubtaskStatus.FAILED : SubtaskStatus.COMPLETED;
                assertThat(s.status()).as("%s (failing %s)", id, failing).isEqualTo(expected);
              }
              assertThat(end.status()).isEqualTo(PlanStatus.COMPLETED);
              assertThat(end.success()).isEqualTo(failing.isEmpty());
            });
  }

  /**
   * Runs {@code p} to the end: every decision of {@link PlanProgress} is applied, and every
   * dispatched mesh task ends at once, failed when its subtask is {@code failing}. Checks on the
   * way that waves go in order and that a subtask is dispatched only once its dependencies
   * completed.
   */
  private static Plan run(Plan p, Set<String> failing) {
    Map<String, Task> tasks = new HashMap<>();
    int lastWave = -1;
    for (int guard = 0; guard < 100 && p.status() == PlanStatus.EXECUTING; guard++) {
      List<PlanProgress.Step> steps = PlanProgress.decide(p, tasks);
      assertThat(steps).as("a running plan always has a next step").isNotEmpty();
      for (PlanProgress.Step step : steps) {
        for (PlanEvent e : step.events()) {
          if (e instanceof WaveDispatched w) {
            assertThat(w.wave()).as("waves in order").isGreaterThan(lastWave);
            lastWave = w.wave();
          }
          if (e instanceof SubtaskDispatched d) {
            for (String dep : p.subtask(d.subtaskId()).dependsOn()) {
              assertThat(p.subtask(dep).status())
                  .as("%s dispatched before %s completed", d.subtaskId(), dep)
                  .isEqualTo(SubtaskStatus.COMPLETED);
            }
            String id = d.meshTaskId();
            tasks.put(
                id,
                PlanGiven.task(
                    id, failing.contains(id) ? TaskStatus.FAILED : TaskStatus.COMPLETED));
          }
          if (e instanceof PlanCompleted c) {
            assertThat(c.completed() + c.failed() + c.blocked()).isEqualTo(p.subtasks().size());
          }
        }
        p = PlanProgress.apply(p, step.events());
      }
    }
    return p;
  }
}

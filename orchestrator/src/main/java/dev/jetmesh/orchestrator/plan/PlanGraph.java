package dev.jetmesh.orchestrator.plan;

import dev.jetmesh.schema.InvalidRequestException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The dependency graph of a plan's subtasks. Waves are Kahn layers: a subtask without dependencies
 * is in wave 0, any other in 1 + the highest wave of its dependencies. Unlike the reference (which
 * ignores unknown dependencies and puts cycles in wave 0), an unknown dependency or a cycle is
 * refused. Stateless.
 */
public final class PlanGraph {
  private PlanGraph() {}

  /**
   * The wave of every subtask, in input order.
   *
   * @param deps subtask id to the ids it depends on, in input order
   * @throws InvalidRequestException on an unknown dependency or a cycle
   */
  public static Map<String, Integer> waves(Map<String, List<String>> deps) {
    Map<String, Integer> indegree = new LinkedHashMap<>();
    Map<String, List<String>> dependents = new LinkedHashMap<>();
    for (var e : deps.entrySet()) {
      indegree.put(e.getKey(), new LinkedHashSet<>(e.getValue()).size());
      dependents.putIfAbsent(e.getKey(), new ArrayList<>());
    }
    for (var e : deps.entrySet()) {
      for (String d : new LinkedHashSet<>(e.getValue())) {
        if (!deps.containsKey(d)) {
          throw new InvalidRequestException(
              "Subtask " + e.getKey() + " depends on unknown subtask " + d);
        }
        Objects.requireNonNull(dependents.get(d)).add(e.getKey());
      }
    }
    Map<String, Integer> wave = new LinkedHashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (var e : indegree.entrySet()) {
      if (e.getValue() == 0) {
        ready.add(e.getKey());
        wave.put(e.getKey(), 0);
      }
    }
    while (!ready.isEmpty()) {
      String s = ready.poll();
      for (String d : Objects.requireNonNull(dependents.get(s))) {
        wave.merge(d, Objects.requireNonNull(wave.get(s)) + 1, Math::max);
        if (indegree.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (wave.size() < deps.size() || indegree.values().stream().anyMatch(n -> n > 0)) {
      throw new InvalidRequestException("Dependency cycle among subtasks: " + cycle(deps));
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (String id : deps.keySet()) {
      ordered.put(id, wave.get(id));
    }
    return ordered;
  }

  /** One cycle, spelled {@code a -> b -> a}. Only called when a cycle exists. */
  private static String cycle(Map<String, List<String>> deps) {
    Map<String, Integer> colour = new LinkedHashMap<>();
    for (String start : deps.keySet()) {
      List<String> path = new ArrayList<>();
      String found = dfs(start, deps, colour, path);
      if (found != null) {
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(found), path.size()));
        loop.add(found);
        return String.join(" -> ", loop);
      }
    }
    return "(unknown)";
  }

  private static @Nullable String dfs(
      String s, Map<String, List<String>> deps, Map<String, Integer> colour, List<String> path) {
    Integer c = colour.get(s);
    if (c != null) {
      return c == 1 ? s : null;
    }
    colour.put(s, 1);
    path.add(s);
    for (String d : Objects.requireNonNull(deps.get(s))) {
      String found = dfs(d, deps, colour, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    colour.put(s, 2);
    return null;
  }

  /** Every subtask that depends on {@code id}, directly or transitively, in input order. */
  public static Set<String> dependentsOf(String id, Map<String, List<String>> deps) {
    Set<String> out = new LinkedHashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (var e : deps.entrySet()) {
        if (out.contains(e.getKey())) {
          continue;
        }
        for (String d : e.getValue()) {
          if (d.equals(id) || out.contains(d)) {
            out.add(e.getKey());
            grew = true;
            break;
          }
        }
      }
    }
    return out;
  }
}

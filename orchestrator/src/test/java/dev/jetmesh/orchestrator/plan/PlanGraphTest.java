package dev.jetmesh.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
  private static Map<String, List<String>> deps(Object... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> d = (List<String>) kv[i + 1];
      m.put((String) kv[i], d);
    }
    return m;
  }

  @Test
  void waves_areKahnLayers_withFanOutAndFanIn() {
    var g =
        deps(
            "a",
            List.of(),
            "b",
            List.of("a"),
            "c",
            List.of("a"),
            "d",
            List.of("b", "c"),
            "e",
            List.of("a", "d"),
            "f",
            List.of());
    assertThat(PlanGraph.waves(g))
        .containsExactly(
            Map.entry("a", 0),
            Map.entry("b", 1),
            Map.entry("c", 1),
            Map.entry("d", 2),
            Map.entry("e", 3),
            Map.entry("f", 0));
  }

  @Test
  void cycle_isRejected_naming_it() {
    var g = deps("a", List.of(), "b", List.of("a", "d"), "c", List.of("b"), "d", List.of("c"));
    assertThatThrownBy(() -> PlanGraph.waves(g))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Dependency cycle among subtasks: b -> d -> c -> b");
    assertThatThrownBy(() -> PlanGraph.waves(deps("a", List.of("a"))))
        .hasMessage("Dependency cycle among subtasks: a -> a");
  }

  @Test
  void unknownDependency_isRejected() {
    assertThatThrownBy(() -> PlanGraph.waves(deps("a", List.of("zz"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Subtask a depends on unknown subtask zz");
  }

  @Test
  void dependents_areTransitive_andOnlyThose() {
    var g =
        deps(
            "a",
            List.of(),
            "b",
            List.of("a"),
            "c",
            List.of("b"),
            "d",
            List.of(),
            "e",
            List.of("d"),
            "f",
            List.of("c", "e"));
    assertThat(PlanGraph.dependentsOf("a", g)).containsExactly("b", "c", "f");
    assertThat(PlanGraph.dependentsOf("d", g)).containsExactly("e", "f");
  }
}

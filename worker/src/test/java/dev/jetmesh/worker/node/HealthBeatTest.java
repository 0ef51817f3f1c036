package dev.jetmesh.worker.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthBeatTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
  private static final HealthBeat.Facts FACTS =
      new HealthBeat.Facts("n-1", "linux", "/ws", List.of("claude", "shell"), List.of("gpu"));
  private static final Machine.Measures MEASURES =
      new Machine.Measures(
          0.75, 4, 12.5, 8_000_000_000L, 2_000_000_000L, 1_000L, 250L, Duration.ofSeconds(90));

  @TempDir Path tmp;

  @Test
  void busyBeat_hasTheDocumentedShape_inSnakeCase() {
    JsonNode beat =
        Json.mapper().valueToTree(HealthBeat.of(FACTS, MEASURES, Optional.of("T-1"), NOW));
    assertThat(beat.get("current_task").asText()).isEqualTo("T-1");
    assertThat(beat.get("node_id").asText()).isEqualTo("n-1");
    assertThat(beat.get("platform").asText()).isEqualTo("linux");
    assertThat(beat.get("role").asText()).isEqualTo("worker");
    assertThat(beat.get("cpu").get("load1").asDouble()).isEqualTo(0.75);
    assertThat(beat.get("cpu").get("cores").asInt()).isEqualTo(4);
    assertThat(beat.get("cpu").get("percent").asDouble()).isEqualTo(12.5);
    assertThat(beat.get("mem").get("total_bytes").asLong()).isEqualTo(8_000_000_000L);
    assertThat(beat.get("mem").get("free_bytes").asLong()).isEqualTo(2_000_000_000L);
    assertThat(beat.get("disk_percent").asInt()).isEqualTo(75);
    assertThat(beat.get("disk").get("path").asText()).isEqualTo("/ws");
    assertThat(beat.get("disk").get("usable_bytes").asLong()).isEqualTo(250L);
    assertThat(beat.get("uptime_seconds").asLong()).isEqualTo(90);
    assertThat(beat.get("providers"))
        .extracting(JsonNode::asText)
        .containsExactly("claude", "shell");
    assertThat(beat.get("capabilities")).extracting(JsonNode::asText).containsExactly("gpu");
    assertThat(beat.get("agent").get("status").asText()).isEqualTo("busy");
    assertThat(beat.get("agent").get("current_task").asText()).isEqualTo("T-1");
    assertThat(beat.get("agent").get("llm").asText()).isEqualTo("claude");
    assertThat(beat.get("reported_at").asText()).isEqualTo("2025-01-02T03:04:05Z");
  }

  @Test
  void idleBeat_hasANullCurrentTask_andUnknownsAreNull() {
    Machine.Measures unknown = new Machine.Measures(null, 1, null, 0, 0, 0, 0, Duration.ZERO);
    JsonNode beat = Json.mapper().valueToTree(HealthBeat.of(FACTS, unknown, Optional.empty(), NOW));
    assertThat(beat.has("current_task")).isTrue();
    assertThat(beat.get("current_task").isNull()).isTrue();
    assertThat(beat.get("agent").get("status").asText()).isEqualTo("idle");
    assertThat(beat.get("cpu").get("load1").isNull()).isTrue();
    assertThat(beat.get("disk_percent").isNull()).isTrue();
  }

  @Test
  void measure_readsThisMachine() {
    Machine.Measures m = Machine.measure(tmp);
    assertThat(m.cores()).isPositive();
    assertThat(m.memTotalBytes()).isPositive().isGreaterThanOrEqualTo(m.memFreeBytes());
    assertThat(m.diskTotalBytes()).isPositive().isGreaterThanOrEqualTo(m.diskUsableBytes());
    assertThat(m.load1()).isNotNull(); // Linux has a load average
    assertThat(m.uptime()).isPositive();
  }

  @Test
  void host_isTheSameOnEveryCall_soThatARepeatedJoinChangesNothing() {
    JsonNode a = Machine.host("box-1");
    assertThat(Machine.host("box-1")).isEqualTo(a);
    assertThat(a.get("hostname").asText()).isEqualTo("box-1");
    assertThat(a.get("platform").asText()).isEqualTo(Machine.platform());
    assertThat(a.get("cores").asInt()).isPositive();
    assertThat(a.get("java_version").asText()).isNotBlank();
  }
}

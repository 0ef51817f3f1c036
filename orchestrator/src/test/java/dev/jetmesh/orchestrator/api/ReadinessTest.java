package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void ready_whenConnected_answering_andWithinTheLag() {
    Map<String, Object> b = new Readiness(() -> true, () -> 110, () -> 100, () -> null, 10).check();
    assertThat(b)
        .containsEntry("ok", true)
        .containsEntry("nats", true)
        .containsEntry("postgres", true)
        .containsEntry("projection_lag", 10L)
        .containsEntry("max_lag", 10L)
        .containsEntry("reason", null);
  }

  @Test
  void notReady_overTheLag() {
    Map<String, Object> b = new Readiness(() -> true, () -> 111, () -> 100, () -> null, 10).check();
    assertThat(b).containsEntry("ok", false).containsEntry("projection_lag", 11L);
    assertThat(b.get("reason"))
        .isEqualTo("the read models are 11 events behind the stream (MESH_READY_MAX_LAG=10)");
  }

  @Test
  void notReady_withNatsDown_withoutAskingTheStream() {
    Map<String, Object> b =
        new Readiness(
                () -> false,
                () -> {
                  throw new AssertionError("not asked");
                },
                () -> 100,
                () -> null,
                10)
            .check();
    assertThat(b)
        .containsEntry("ok", false)
        .containsEntry("nats", false)
        .containsEntry("postgres", true)
        .containsEntry("projection_lag", null)
        .containsEntry("reason", "NATS is not connected");
  }

  @Test
  void notReady_whenPostgresOrTheStreamFail_orTheProjectorHalted() {
    Map<String, Object> pg =
        new Readiness(
                () -> true,
                () -> 5,
                () -> {
                  throw new MeshException(
                      ErrorCode.UNAVAILABLE, "x", new RuntimeException("Connection refused"));
                },
                () -> null,
                10)
            .check();
    assertThat(pg).containsEntry("postgres", false).containsEntry("ok", false);
    assertThat(pg.get("reason")).isEqualTo("Postgres does not answer: Connection refused");
    Map<String, Object> stream =
        new Readiness(
                () -> true,
                () -> {
                  throw new IllegalStateException("timeout");
                },
                () -> 5,
                () -> null,
                10)
            .check();
    assertThat(stream).containsEntry("nats", false).containsEntry("ok", false);
    assertThat(stream.get("reason")).isEqualTo("the stream does not answer: timeout");
    Map<String, Object> halted =
        new Readiness(() -> true, () -> 5, () -> 5, () -> "poison at 4", 10).check();
    assertThat(halted).containsEntry("ok", false).containsEntry("projection_lag", 0L);
    assertThat(halted.get("reason")).isEqualTo("the projector halted: poison at 4");
  }
}

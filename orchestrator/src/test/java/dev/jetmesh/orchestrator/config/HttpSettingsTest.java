package dev.jetmesh.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
  @Test
  void withoutAToken_theApiBindsLoopback_unlessAHostIsGiven() {
    assertThat(OrchestratorConfig.from(Map.of()).http().bindHost()).isEqualTo("127.0.0.1");
    assertThat(OrchestratorConfig.from(Map.of("MESH_HTTP_HOST", "0.0.0.0")).http().bindHost())
        .isEqualTo("0.0.0.0");
    HttpSettings withToken =
        OrchestratorConfig.from(Map.of("MESH_API_TOKEN", "0123456789abcdef")).http();
    assertThat(withToken.bindHost()).isEqualTo("0.0.0.0");
    assertThat(withToken.apiToken()).isEqualTo("0123456789abcdef");
    assertThat(withToken.toString()).doesNotContain("0123456789abcdef").contains("(set)");
  }

  @Test
  void defaults_andLimits() {
    HttpSettings d = OrchestratorConfig.from(Map.of("MESH_API_TOKEN", " ")).http();
    assertThat(d.apiToken()).isNull();
    assertThat(d.readyMaxLag()).isEqualTo(10_000);
    assertThat(d.maxStreams()).isEqualTo(100);
    assertThat(d.keepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(() -> OrchestratorConfig.from(Map.of("MESH_API_TOKEN", "short-secret")))
        .hasMessage("MESH_API_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)");
    assertThatThrownBy(() -> OrchestratorConfig.from(Map.of("MESH_SSE_MAX_STREAMS", "0")))
        .hasMessage("MESH_SSE_MAX_STREAMS must be between 1 and 10000: 0");
    assertThatThrownBy(() -> OrchestratorConfig.from(Map.of("MESH_READY_MAX_LAG", "lots")))
        .hasMessage("MESH_READY_MAX_LAG must be a whole number: lots");
  }
}

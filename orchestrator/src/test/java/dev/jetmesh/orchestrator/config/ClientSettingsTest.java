package dev.jetmesh.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.config.OrchestratorConfig.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the client commands find the read API, and what they say when a setting is unusable. */
class ClientSettingsTest {
  @Test
  void theApi_isMeshApiUrl_elseLoopbackAtMeshHttpPort_else8080() {
    assertThat(ClientSettings.from(Map.of()).apiUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(ClientSettings.from(Map.of("MESH_HTTP_PORT", " 9090 ")).apiUrl())
        .isEqualTo("http://127.0.0.1:9090");
    assertThat(
            ClientSettings.from(
                    Map.of("MESH_API_URL", "https://mesh.example/", "MESH_HTTP_PORT", "abc"))
                .apiUrl())
        .as("the port is not used, so not checked")
        .isEqualTo("https://mesh.example");
  }

  @Test
  void aMeshHttpPortThatIsNotAPort_isNamed_asAPortNumber() {
    // 0 is serve's "any free port", often in the same environment: a replay must not fail on it
    assertThat(ClientSettings.from(Map.of("MESH_HTTP_PORT", "0")).apiUrl())
        .isEqualTo("http://127.0.0.1:0");
    for (String bad : new String[] {"abc", "65536", "80/api", "-1", "123456"}) {
      assertThatThrownBy(
              () -> ClientSettings.from(Map.of("MESH_HTTP_PORT", bad, "MESH_API_URL", "")))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "MESH_HTTP_PORT must be a port number (0-65535) when MESH_API_URL is not set: "
                  + bad);
    }
  }

  @Test
  void columns_isANumber_orNothing() {
    assertThat(ClientSettings.columns(Map.of("COLUMNS", "120"))).isEqualTo(120);
    assertThat(ClientSettings.columns(Map.of("COLUMNS", "wide"))).isNull();
    assertThat(ClientSettings.columns(Map.of("COLUMNS", "99999"))).isNull();
    assertThat(ClientSettings.columns(Map.of())).isNull();
  }

  @Test
  void aMeshApiUrlThatIsNotHttp_isNamed_asAUrl() {
    assertThatThrownBy(() -> ClientSettings.from(Map.of("MESH_API_URL", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESH_API_URL must be an http:// or https:// URL: ftp://x");
  }
}

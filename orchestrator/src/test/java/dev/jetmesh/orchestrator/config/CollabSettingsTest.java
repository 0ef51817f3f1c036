package dev.jetmesh.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.config.OrchestratorConfig.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The collab settings are parsed with the rest of the configuration at start; a bad value is one
 * {@link ConfigException} naming the variable, never an error escaping a static initialiser.
 */
class CollabSettingsTest {

  @Test
  void emptyEnvironment_givesTheDefaults() {
    CollabSettings s = CollabSettings.from(Map.of());
    assertThat(s).isEqualTo(CollabSettings.DEFAULTS);
    assertThat(s.roundTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.renotifyInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(OrchestratorConfig.from(Map.of()).collab()).isEqualTo(CollabSettings.DEFAULTS);
  }

  @Test
  void setValues_areSeconds_fractionsIncluded() {
    CollabSettings s =
        CollabSettings.from(
            Map.of(
                "MESH_COLLAB_ROUND_TIMEOUT_SECONDS",
                " 90 ",
                "MESH_COLLAB_RENOTIFY_SECONDS",
                "0.5"));
    assertThat(s.roundTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.renotifyInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void blankValue_takesTheDefault() {
    assertThat(CollabSettings.from(Map.of("MESH_COLLAB_RENOTIFY_SECONDS", "  ")))
        .isEqualTo(CollabSettings.DEFAULTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1s", "NaN"})
  void notANumber_isAConfigException_namingTheVariable(String v) {
    assertThatThrownBy(() -> CollabSettings.from(Map.of("MESH_COLLAB_ROUND_TIMEOUT_SECONDS", v)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESH_COLLAB_ROUND_TIMEOUT_SECONDS must be")
        .hasMessageEndingWith(": " + v);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "604801", "Infinity"})
  void outOfRange_isAConfigException_namingTheVariableAndTheRange(String v) {
    assertThatThrownBy(() -> CollabSettings.from(Map.of("MESH_COLLAB_RENOTIFY_SECONDS", v)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESH_COLLAB_RENOTIFY_SECONDS must be between 0.001 and 604800.0: " + v);
  }

  @Test
  void badCollabValue_failsTheWholeConfiguration_atParse() {
    assertThatThrownBy(
            () -> OrchestratorConfig.from(Map.of("MESH_COLLAB_ROUND_TIMEOUT_SECONDS", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MESH_COLLAB_ROUND_TIMEOUT_SECONDS must be a number: soon");
  }

  @Test
  void withHttpPort_keepsTheCollabSettings() {
    OrchestratorConfig c =
        OrchestratorConfig.from(Map.of("MESH_COLLAB_RENOTIFY_SECONDS", "2")).withHttpPort(0);
    assertThat(c.collab().renotifyInterval()).isEqualTo(Duration.ofSeconds(2));
  }
}

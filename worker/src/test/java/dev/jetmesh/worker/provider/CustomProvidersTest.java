package dev.jetmesh.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomProvidersTest {
  @TempDir Path tmp;

  private Path file(String json) throws IOException {
    return Files.writeString(tmp.resolve("providers.json"), json);
  }

  @Test
  void validFile_addsProviders_withTheirFlags() throws IOException {
    Path f =
        file(
            """
            {"mine": {"binary": "/usr/local/bin/mine", "defaultModel": "m1",
                      "promptFlag": "--prompt", "modelFlag": "-m", "cwdFlag": "--dir",
                      "extraArgs": ["--yes", "--quiet"], "envStrip": ["SECRET_*", "TOKEN"]},
             "bare": {"binary": "bare", "promptFlag": ""}}
            """);
    ProviderRegistry reg = ProviderRegistry.load(Map.of(), f, true);
    Path wt = Path.of("/w/T");
    Invocation mine = reg.get("mine").invocation(new RunRequest("P", null, wt, ""));
    assertThat(mine.argv())
        .containsExactly(
            "/usr/local/bin/mine",
            "--yes",
            "--quiet",
            "--prompt",
            "P",
            "-m",
            "m1",
            "--dir",
            "/w/T");
    assertThat(mine.envStrip()).containsExactly("SECRET_*", "TOKEN");
    assertThat(mine.cwd()).isEqualTo(wt);
    assertThat(reg.get("bare").invocation(new RunRequest("P", null, wt, "")).argv())
        .containsExactly("bare", "P");
    assertThat(reg.names()).contains("claude", "mine", "bare");
  }

  @Test
  void malformedFile_isAnError_notIgnored() throws IOException {
    Path f = file("{\"mine\": {\"binary\": ");
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), f, false))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void overridingABuiltIn_isRefused() throws IOException {
    Path f = file("{\"claude\": {\"binary\": \"/tmp/evil\"}}");
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), f, false))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("cannot override the built-in");
  }

  @Test
  void badEntries_areNamedPrecisely() {
    assertThatThrownBy(
            () -> CustomProviders.parse("{\"x\": {}}", "f", ProviderRegistry.BUILT_IN_NAMES))
        .hasMessageContaining("needs a \"binary\"");
    assertThatThrownBy(
            () ->
                CustomProviders.parse(
                    "{\"x\": {\"binary\": \"b\", \"promtFlag\": \"-p\"}}",
                    "f",
                    ProviderRegistry.BUILT_IN_NAMES))
        .hasMessageContaining("unknown field \"promtFlag\"");
    assertThatThrownBy(
            () ->
                CustomProviders.parse(
                    "{\"x\": {\"binary\": \"b\", \"extraArgs\": \"--yes\"}}",
                    "f",
                    ProviderRegistry.BUILT_IN_NAMES))
        .hasMessageContaining("array of strings");
    assertThatThrownBy(() -> CustomProviders.parse("[]", "f", ProviderRegistry.BUILT_IN_NAMES))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(
            () ->
                CustomProviders.parse(
                    "{\"a.b\": {\"binary\": \"b\"}}", "f", ProviderRegistry.BUILT_IN_NAMES))
        .hasMessageContaining("names are");
  }

  @Test
  void missingFile_isFineByDefault_butAnErrorWhenNamed() {
    Path missing = tmp.resolve("nope.json");
    assertThat(ProviderRegistry.load(Map.of(), missing, false).names())
        .isEqualTo(ProviderRegistry.builtIns(Map.of()).names());
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), missing, true))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("cannot read custom providers file");
  }
}

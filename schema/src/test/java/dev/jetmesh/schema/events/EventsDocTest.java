package dev.jetmesh.schema.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/events.md} true: every catalogued type has a section that links its schema
 * file, and every JSON example is an envelope that validates and decodes.
 */
class EventsDocTest {
  private static final Path DOC = Path.of("../docs/events.md");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SECTION = Pattern.compile("(?m)^### `([a-z._]+)`$");

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  @Test
  void everyType_hasASection_linkingItsSchema() throws IOException {
    String doc = doc();
    List<String> sections = new ArrayList<>();
    Matcher m = SECTION.matcher(doc);
    while (m.find()) {
      sections.add(m.group(1));
    }
    assertThat(sections).containsExactlyInAnyOrderElementsOf(EventCatalog.all().keySet());
    for (String type : EventCatalog.all().keySet()) {
      String path = "schema/src/main/resources/schemas/" + JsonSchemas.fileOf(type);
      assertThat(doc).contains("(../" + path + ")");
      assertThat(DOC.resolveSibling("../" + path)).exists();
    }
    assertThat(doc).contains("(../schema/src/main/resources/schemas/envelope.json)");
  }

  @Test
  void everyJsonExample_isAValidEnvelope_thatDecodes() throws IOException {
    Matcher m = JSON_BLOCK.matcher(doc());
    int examples = 0;
    while (m.find()) {
      String json = m.group(1);
      JsonSchemas.assertValid(JsonSchemas.ENVELOPE, json);
      JsonNode tree = Json.mapper().readTree(json);
      String type = tree.get("type").asText();
      JsonSchemas.assertValid(JsonSchemas.fileOf(type), tree.get("payload").toString());
      assertThat(EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).type()).isEqualTo(type);
      examples++;
    }
    assertThat(examples).isPositive();
  }
}

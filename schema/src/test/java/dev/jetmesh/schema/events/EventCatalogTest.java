package dev.jetmesh.schema.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalogue is the sealed hierarchy under {@link MeshEvent}: every concrete type is a record
 * with a stable, unique {@code <aggregate>.<snake_name>} name and a JSON Schema that lists exactly
 * the fields Jackson writes for it.
 */
class EventCatalogTest {
  private static final Pattern TYPE_NAME = Pattern.compile("[a-z]+\\.[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  /** Every concrete class under {@code root}'s sealed hierarchy, found by walking it. */
  static List<Class<?>> concreteEventClasses(Class<?> root) {
    List<Class<?>> out = new ArrayList<>();
    if (root.isSealed()) {
      for (Class<?> sub : root.getPermittedSubclasses()) {
        out.addAll(concreteEventClasses(sub));
      }
    } else {
      out.add(root);
    }
    return out;
  }

  private static List<Class<?>> events() {
    return concreteEventClasses(MeshEvent.class);
  }

  private static String typeOf(Class<?> c) {
    EventType t = c.getAnnotation(EventType.class);
    assertThat(t).as("@EventType on %s", c.getName()).isNotNull();
    return t.value();
  }

  @Test
  void hierarchy_hasEvents_andEveryLeafIsARecord() {
    assertThat(events()).isNotEmpty();
    assertThat(events()).allSatisfy(c -> assertThat(c.isRecord()).as(c.getName()).isTrue());
  }

  @Test
  void everyEvent_hasATypeName_ofTheFormAggregateDotSnakeName() {
    for (Class<?> c : events()) {
      String type = typeOf(c);
      assertThat(type).as(c.getName()).matches(TYPE_NAME);
      // The prefix is the aggregate family, named by the sealed interface: TaskEvent -> task.
      String family = familyOf(c).getSimpleName().replaceFirst("Event$", "");
      assertThat(type).as(c.getName()).startsWith(family.toLowerCase(Locale.ROOT) + ".");
      assertThat(c.getAnnotation(EventType.class).version()).as(type).isPositive();
    }
  }

  private static Class<?> familyOf(Class<?> c) {
    return Arrays.stream(c.getInterfaces())
        .filter(i -> MeshEvent.class.isAssignableFrom(i) && i != MeshEvent.class)
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " belongs to no aggregate family"));
  }

  @Test
  void typeNames_areUnique() {
    List<String> names = events().stream().map(EventCatalogTest::typeOf).toList();
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void catalog_coversExactlyTheHierarchy() {
    Set<Class<?>> catalogued =
        EventCatalog.all().values().stream()
            .map(EventCatalog.Entry::javaType)
            .collect(Collectors.toSet());
    assertThat(catalogued).containsExactlyInAnyOrderElementsOf(events());
    for (Class<?> c : events()) {
      EventCatalog.Entry e = EventCatalog.entryOf(c);
      assertThat(e.type()).isEqualTo(typeOf(c));
      assertThat(e.version()).isEqualTo(c.getAnnotation(EventType.class).version());
      assertThat(EventCatalog.byType(e.type())).isEqualTo(e);
    }
    assertThat(EventCatalog.byType("task.teleported")).isNull();
  }

  @Test
  void everyEvent_hasASchemaFile_andNoSchemaFileIsOrphaned()
      throws IOException, URISyntaxException {
    Set<String> expected = new TreeSet<>();
    expected.add(JsonSchemas.ENVELOPE);
    for (Class<?> c : events()) {
      String file = JsonSchemas.fileOf(typeOf(c));
      assertThat(JsonSchemas.resource(file)).as("schema %s on the class path", file).isNotNull();
      expected.add(file);
    }
    Path dir = Path.of(JsonSchemas.resource(JsonSchemas.ENVELOPE).toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void samples_coverEveryEventType() {
    Set<Class<?>> sampled = new HashSet<>();
    for (MeshEvent e : Samples.all()) {
      sampled.add(e.getClass());
    }
    assertThat(sampled)
        .as("Samples.all() must hold an instance of every event type")
        .containsExactlyInAnyOrderElementsOf(events());
  }

  @Test
  void everySchema_listsExactlyTheRecordComponents_allRequired() throws IOException {
    for (Class<?> c : events()) {
      JsonNode schema = read(JsonSchemas.fileOf(typeOf(c)));
      assertObjectMatchesRecord(typeOf(c), schema, c);
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }
  }

  @Test
  void sharedDefinitions_listExactlyTheRecordComponents() throws IOException {
    assertObjectMatchesRecord(
        "TaskSpec", read("task.submitted.json").path("$defs").path("TaskSpec"), TaskSpec.class);
    JsonNode defs = read("task.attempt_recorded.json").path("$defs");
    assertObjectMatchesRecord("Attempt", defs.path("Attempt"), Attempt.class);
    assertObjectMatchesRecord("OutputRef", defs.path("OutputRef"), OutputRef.class);
  }

  private static void assertObjectMatchesRecord(String what, JsonNode schema, Class<?> record) {
    List<String> fields =
        Arrays.stream(record.getRecordComponents())
            .map(rc -> SNAKE.translate(rc.getName()))
            .toList();
    Set<String> properties = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(properties::add);
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    assertThat(schema.path("type").asText()).as(what).isEqualTo("object");
    assertThat(properties).as("%s properties", what).containsExactlyInAnyOrderElementsOf(fields);
    assertThat(required).as("%s required", what).containsExactlyInAnyOrderElementsOf(fields);
    assertThat(schema.path("additionalProperties").isBoolean()).as(what).isTrue();
    assertThat(schema.path("additionalProperties").asBoolean()).as(what).isFalse();
  }

  private static JsonNode read(String file) throws IOException {
    try (InputStream in =
        EventCatalogTest.class.getClassLoader().getResourceAsStream(JsonSchemas.DIR + file)) {
      assertThat(in).as(file).isNotNull();
      return Json.mapper().readTree(in);
    }
  }
}

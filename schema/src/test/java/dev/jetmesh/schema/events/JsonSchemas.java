package dev.jetmesh.schema.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON Schemas under {@code schemas/} on the class path, loaded with formats asserted. */
final class JsonSchemas {
  static final String DIR = "schemas/";
  static final String ENVELOPE = "envelope.json";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b ->
              b.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private JsonSchemas() {}

  /** The file name of an event type's payload schema. */
  static String fileOf(String type) {
    return type + ".json";
  }

  /** The class path location of a schema file, or null when there is none. */
  static URL resource(String file) {
    return JsonSchemas.class.getClassLoader().getResource(DIR + file);
  }

  static Schema load(String file) {
    return CACHE.computeIfAbsent(
        file,
        f -> {
          try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(DIR + f)) {
            if (in == null) {
              throw new IllegalArgumentException("no schema on the class path: " + DIR + f);
            }
            return REGISTRY.getSchema(in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The messages of every violation of {@code file} by {@code json}; empty when valid. */
  static List<String> violations(String file, String json) {
    return load(file).validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
  }

  static void assertValid(String file, String json) {
    assertThat(violations(file, json)).as("%s against %s", json, file).isEmpty();
  }
}

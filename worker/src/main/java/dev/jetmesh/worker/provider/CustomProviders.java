package dev.jetmesh.worker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the custom providers file, the reference's {@code ~/.openclaw/mesh-providers.json}: {@code
 * {"name":{"binary","defaultModel","promptFlag","modelFlag","cwdFlag","extraArgs","envStrip"}}}.
 * Unlike the reference, a file that cannot be read is an error, not silently ignored: a node that
 * quietly lacks a provider its operator configured fails every task routed to it. Defaults: {@code
 * promptFlag} {@code -p}, {@code modelFlag} {@code --model}, no cwd flag (the run's working
 * directory is the worktree anyway), no extra arguments, nothing stripped. Stateless and
 * thread-safe.
 */
public final class CustomProviders {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Set<String> FIELDS =
      Set.of(
          "binary", "defaultModel", "promptFlag", "modelFlag", "cwdFlag", "extraArgs", "envStrip");

  private CustomProviders() {}

  /**
   * Parses {@code json}, refusing names of {@code builtIns}.
   *
   * @param source the file name, for error messages
   */
  public static Map<String, Provider> parse(String json, String source, Set<String> builtIns) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProviderException(
          "custom providers file " + source + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ProviderException(
          "custom providers file " + source + " must hold a JSON object of providers");
    }
    Map<String, Provider> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String name = e.getKey();
      String where = "custom provider \"" + name + "\" in " + source;
      if (builtIns.contains(name)) {
        throw new ProviderException(where + " cannot override the built-in provider of that name");
      }
      if (!NAME.matcher(name).matches()) {
        throw new ProviderException(where + ": names are lower-case letters, digits, '_' and '-'");
      }
      out.put(name, provider(name, e.getValue(), where));
    }
    return out;
  }

  /** Reads and parses {@code file}. */
  public static Map<String, Provider> load(Path file, Set<String> builtIns) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new ProviderException("cannot read custom providers file " + file + ": " + e, e);
    }
    return parse(json, file.toString(), builtIns);
  }

  private static Provider provider(String name, JsonNode spec, String where) {
    if (!spec.isObject()) {
      throw new ProviderException(where + " must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> e : spec.properties()) {
      String field = e.getKey();
      if (!FIELDS.contains(field)) {
        throw new ProviderException(where + " has an unknown field \"" + field + "\"");
      }
    }
    String binary = optionalString(spec, "binary", where);
    if (binary == null || binary.isBlank()) {
      throw new ProviderException(where + " needs a \"binary\"");
    }
    return new FlagProvider(
        name,
        binary,
        optionalString(spec, "defaultModel", where),
        string(spec, "promptFlag", where, "-p"),
        string(spec, "modelFlag", where, "--model"),
        string(spec, "cwdFlag", where, ""),
        strings(spec, "extraArgs", where),
        strings(spec, "envStrip", where));
  }

  private static @Nullable String optionalString(JsonNode spec, String field, String where) {
    JsonNode v = spec.get(field);
    return v == null || v.isNull() ? null : string(spec, field, where, "");
  }

  private static String string(JsonNode spec, String field, String where, String dflt) {
    JsonNode v = spec.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new ProviderException(where + ": \"" + field + "\" must be a string");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode spec, String field, String where) {
    JsonNode v = spec.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ProviderException(where + ": \"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new ProviderException(where + ": \"" + field + "\" must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }
}

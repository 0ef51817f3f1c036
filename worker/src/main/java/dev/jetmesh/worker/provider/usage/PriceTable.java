package dev.jetmesh.worker.provider.usage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Prices per provider and model, for the CLIs that report tokens but not money. The file, which
 * operators edit:
 *
 * <pre>{@code
 * {"as_of": "2025-10-01",
 *  "note": "optional free text",
 *  "providers": {"openai": {"gpt-4.1": {"input": 2.00, "cached_input": 0.50, "output": 8.00}},
 *                "ollama": {"*": {"input": 0, "output": 0}}}}
 * }</pre>
 *
 * Prices are US dollars per million tokens; {@code cached_input} is optional. A model is looked up
 * by its exact name, then {@code "*"} (every other model of that provider). A model in neither has
 * an unknown (null) cost, never 0: a local model is free only where the table says so. The worker
 * ships a default table ({@code prices.json} on the class path); {@code MESH_PRICES_FILE} replaces
 * it whole. Immutable and thread-safe.
 */
public final class PriceTable {
  /** The model key that matches every model of its provider. */
  public static final String ANY_MODEL = "*";

  /** Class-path resource of the shipped table. */
  public static final String DEFAULT_RESOURCE = "/prices.json";

  private static final Set<String> TOP_FIELDS = Set.of("as_of", "note", "providers");
  private static final Set<String> PRICE_FIELDS = Set.of("input", "cached_input", "output");
  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  private static final PriceTable NONE = new PriceTable("no price table", null, Map.of());

  private final String source;
  private final @Nullable LocalDate asOf;
  private final Map<String, Map<String, Price>> prices;

  private PriceTable(
      String source, @Nullable LocalDate asOf, Map<String, Map<String, Price>> prices) {
    this.source = source;
    this.asOf = asOf;
    this.prices = prices;
  }

  /** A table that prices nothing: every cost it is asked for is unknown. */
  public static PriceTable none() {
    return NONE;
  }

  /** The table shipped with the worker. */
  public static PriceTable defaults() {
    return Shipped.TABLE;
  }

  /** Reads and checks {@code file}. */
  public static PriceTable load(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PriceTableException("cannot read prices file " + file + ": " + e, e);
    }
    return parse(json, file.toString());
  }

  /**
   * Checks and reads {@code json}.
   *
   * @param source the file name, for error messages
   */
  public static PriceTable parse(String json, String source) {
    String where = "prices file " + source;
    JsonNode root;
    try {
      root = READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PriceTableException(where + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new PriceTableException(where + " must hold a JSON object");
    }
    onlyFields(root, TOP_FIELDS, where);
    LocalDate asOf = asOf(root.get("as_of"), where);
    JsonNode providers = root.get("providers");
    if (providers == null || !providers.isObject()) {
      throw new PriceTableException(where + " needs \"providers\": an object of providers");
    }
    Map<String, Map<String, Price>> table = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> p : providers.properties()) {
      table.put(p.getKey(), models(p.getValue(), where + ", provider \"" + p.getKey() + "\""));
    }
    return new PriceTable(source, asOf, Collections.unmodifiableMap(table));
  }

  /** Where the table came from: a file name, or the shipped resource. */
  public String source() {
    return source;
  }

  /** The date the prices were read, or null for {@link #none()}. */
  public @Nullable LocalDate asOf() {
    return asOf;
  }

  /** The providers the table names. */
  public Set<String> providers() {
    return new TreeSet<>(prices.keySet());
  }

  /** The price of {@code model} of {@code provider}: exact name, then {@code "*"}; else null. */
  public @Nullable Price price(String provider, @Nullable String model) {
    Map<String, Price> models = prices.get(provider);
    if (models == null) {
      return null;
    }
    Price exact = model == null ? null : models.get(model);
    return exact != null ? exact : models.get(ANY_MODEL);
  }

  /**
   * The cost of a run of {@code provider}, summed over the models it used, or null as soon as one
   * of them cannot be priced (an unknown part makes the whole unknown).
   *
   * @param runModel the model the run was started with; stands for usage that names no model
   */
  public @Nullable BigDecimal cost(
      String provider, @Nullable String runModel, List<ModelTokens> usage) {
    if (usage.isEmpty()) {
      return null;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (ModelTokens m : usage) {
      Price price = price(provider, m.model() != null ? m.model() : runModel);
      BigDecimal cost = price == null ? null : price.cost(m.tokens());
      if (cost == null) {
        return null;
      }
      sum = sum.add(cost);
    }
    return sum;
  }

  /**
   * Refuses a table that names a provider this node does not have, so that a typo is not a price
   * silently never used; an alias is refused with the name to use instead.
   */
  public void requireKnownProviders(Set<String> names, Map<String, String> aliases) {
    for (String p : prices.keySet()) {
      if (aliases.containsKey(p)) {
        throw new PriceTableException(
            "prices file "
                + source
                + " names \""
                + p
                + "\", an alias: use \""
                + aliases.get(p)
                + "\"");
      }
      if (!names.contains(p)) {
        throw new PriceTableException(
            "prices file "
                + source
                + " names unknown provider \""
                + p
                + "\" (known: "
                + String.join(", ", new TreeSet<>(names))
                + ")");
      }
    }
  }

  private static LocalDate asOf(JsonNode v, String where) {
    if (v == null || !v.isTextual()) {
      throw new PriceTableException(where + " needs \"as_of\": the date of its prices, YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new PriceTableException(where + ": \"as_of\" is not a YYYY-MM-DD date: " + v.asText());
    }
  }

  private static Map<String, Price> models(JsonNode models, String where) {
    if (!models.isObject()) {
      throw new PriceTableException(where + " must be an object of models");
    }
    Map<String, Price> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> m : models.properties()) {
      out.put(m.getKey(), price(m.getValue(), where + ", model \"" + m.getKey() + "\""));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Price price(JsonNode spec, String where) {
    if (!spec.isObject()) {
      throw new PriceTableException(where + " must be an object {input, output[, cached_input]}");
    }
    onlyFields(spec, PRICE_FIELDS, where);
    return new Price(
        requireNonNull(amount(spec, "input", where, true), "required: amount throws if absent"),
        amount(spec, "cached_input", where, false),
        requireNonNull(amount(spec, "output", where, true), "required: amount throws if absent"));
  }

  private static @Nullable BigDecimal amount(
      JsonNode spec, String field, String where, boolean required) {
    JsonNode v = spec.get(field);
    if (v == null && !required) {
      return null;
    }
    if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) {
      throw new PriceTableException(
          where + ": \"" + field + "\" must be a number of US dollars per million tokens, >= 0");
    }
    return v.decimalValue();
  }

  private static void onlyFields(JsonNode node, Set<String> allowed, String where) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!allowed.contains(e.getKey())) {
        throw new PriceTableException(where + " has an unknown field \"" + e.getKey() + "\"");
      }
    }
  }

  /** The shipped table, read once on first use. */
  private static final class Shipped {
    static final PriceTable TABLE = read();

    private static PriceTable read() {
      try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the worker jar lacks " + DEFAULT_RESOURCE);
        }
        String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return parse(json, "(built in) " + DEFAULT_RESOURCE.substring(1));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public String toString() {
    return "PriceTable[" + source + ", as of " + asOf + "]";
  }
}

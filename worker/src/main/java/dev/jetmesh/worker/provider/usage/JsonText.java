package dev.jetmesh.worker.provider.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jetmesh.schema.Json;
import org.jspecify.annotations.Nullable;

/** Lenient JSON reading for CLI output, which mixes JSON with anything else. Stateless. */
final class JsonText {
  private static final ObjectReader FIRST_VALUE =
      Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonText() {}

  /** {@code text} as JSON, or null when it is not JSON. */
  static @Nullable JsonNode tryParse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The first JSON value of {@code text}, whatever follows it; null when it starts with none. */
  static @Nullable JsonNode tryParseFirst(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return FIRST_VALUE.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A whole, non-negative number field of {@code node}, or null when absent or not one. */
  static @Nullable Long count(@Nullable JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      return null;
    }
    return v.asLong();
  }

  /** {@link #count}, with 0 for an absent field: for fields a CLI leaves out when they are 0. */
  static long countOrZero(@Nullable JsonNode node, String field) {
    Long n = count(node, field);
    return n == null ? 0 : n;
  }

  /** The text field {@code field} of {@code node}, or null. */
  static @Nullable String text(@Nullable JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}

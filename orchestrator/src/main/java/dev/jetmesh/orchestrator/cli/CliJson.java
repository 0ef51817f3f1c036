package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The mapper of the CLI, which only reads and writes JSON trees: without the domain mapper's
 * modules and coercion rules ({@code dev.jetmesh.schema.Json}), whose set-up is a good part of a
 * short command's start. Decimals stay exact ({@code 0.10} is not {@code 0.1}). Thread-safe.
 */
final class CliJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private CliJson() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }
}

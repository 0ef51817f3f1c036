package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values of the read API's JSON are shown in tables: short, and {@code -} when unknown. */
final class Fmt {
  private Fmt() {}

  /** A scalar as text, an array as {@code a,b}, a missing or null value as {@code -}. */
  static String text(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "-";
    }
    if (n.isArray()) {
      List<String> out = new ArrayList<>();
      n.forEach(x -> out.add(x.isValueNode() ? x.asText() : x.toString()));
      return out.isEmpty() ? "-" : String.join(",", out);
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /** Dollars with at least two decimals and at most six: {@code $0.0123}; {@code -} unknown. */
  static String money(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return "-";
    }
    BigDecimal d = n.decimalValue().setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return "$" + (d.scale() < 2 ? d.setScale(2, RoundingMode.UNNECESSARY) : d).toPlainString();
  }

  /** Milliseconds as {@code 850ms}, {@code 12.3s}, {@code 4m05s} or {@code 2h03m}. */
  static String duration(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return "-";
    }
    long ms = n.asLong();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** An ISO-8601 instant as {@code 2025-12-05 14:03:01} (UTC, to the second). */
  static String time(JsonNode n) {
    if (n == null || !n.isTextual()) {
      return "-";
    }
    try {
      String s = Instant.parse(n.asText()).toString();
      return s.substring(0, Math.min(19, s.length())).replace('T', ' ');
    } catch (DateTimeParseException e) {
      return n.asText();
    }
  }

  /** An attempt's tokens as {@code in/out}, from its own fields or its {@code tokens} object. */
  static String tokens(JsonNode a) {
    JsonNode in = a.hasNonNull("tokens_in") ? a.get("tokens_in") : a.path("tokens").path("in");
    JsonNode out = a.hasNonNull("tokens_out") ? a.get("tokens_out") : a.path("tokens").path("out");
    if (!in.isNumber() && !out.isNumber()) {
      return "-";
    }
    return text(in) + "/" + text(out);
  }
}

package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Comparing JSON trees as they print, which {@link JsonNode#equals} does not. Stateless. */
final class JsonTrees {
  private JsonTrees() {}

  /**
   * Whether {@code a} and {@code b} print the same: the same node classes, objects' keys in the
   * same order, decimals of the same scale.
   */
  @SuppressWarnings({
    "ReferenceEquality", // the same node first, before any walk
    "BigDecimalEquals" // the scale is what is wanted: 1.5 and 1.50 print differently
  })
  static boolean sameText(@Nullable JsonNode a, @Nullable JsonNode b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.getClass() != b.getClass() || a.size() != b.size()) {
      return false;
    }
    if (a.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> x = a.properties().iterator();
      Iterator<Map.Entry<String, JsonNode>> y = b.properties().iterator();
      while (x.hasNext()) {
        Map.Entry<String, JsonNode> e = x.next();
        Map.Entry<String, JsonNode> f = y.next();
        if (!e.getKey().equals(f.getKey()) || !sameText(e.getValue(), f.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (!sameText(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isBigDecimal()) {
      return a.decimalValue().equals(b.decimalValue());
    }
    return a.equals(b);
  }
}

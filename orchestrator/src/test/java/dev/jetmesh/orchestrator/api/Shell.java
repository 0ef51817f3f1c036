package dev.jetmesh.orchestrator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command line as a POSIX shell would for the plain commands the docs show: words
 * separated by spaces, {@code "double"} quotes (with {@code $VAR} expanded inside), {@code
 * 'single'} quotes (literal), and {@code $VAR} outside quotes. No pipes, globs or substitutions: a
 * command using them is refused, so the docs keep to what this runs. Stateless.
 */
final class Shell {
  private Shell() {}

  static List<String> words(String line, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '$' && quote != '\'') {
        int j = i + 1;
        while (j < line.length()
            && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
          j++;
        }
        String name = line.substring(i + 1, j);
        if (!vars.containsKey(name)) {
          throw new IllegalArgumentException("unknown variable $" + name + " in: " + line);
        }
        w = w == null ? new StringBuilder() : w;
        w.append(vars.get(name));
        i = j - 1;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        w = w == null ? new StringBuilder() : w;
      } else if (c == ' ') {
        if (w != null) {
          out.add(w.toString());
          w = null;
        }
      } else if ("|&;<>`*?()\\".indexOf(c) >= 0) {
        throw new IllegalArgumentException("not a plain command (" + c + "): " + line);
      } else {
        w = w == null ? new StringBuilder() : w;
        w.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote: " + line);
    }
    if (w != null) {
      out.add(w.toString());
    }
    return out;
  }
}

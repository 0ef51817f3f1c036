package dev.jetmesh.worker;

import dev.jetmesh.worker.process.ProgramPath;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.RunRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which providers this machine can run, checked at start by looking for each provider's program the
 * way the JDK starts it (no shell): a name with a slash is that file, a bare name is searched in
 * the worker's {@code PATH}. The default provider (the one that runs every task that names none)
 * must be there, or the worker refuses to start; any other provider is offered to the mesh only
 * when its program is there. Stateless and thread-safe.
 */
public final class ProviderCheck {
  /** What the JDK searches when the worker has no {@code PATH} at all. */
  private ProviderCheck() {}

  /**
   * Where the default provider's program comes from, for the message of a refusal.
   *
   * @param name the default provider's name
   * @param setting the variable or flag that chose it, or null when nothing did ({@code claude})
   */
  public record DefaultProvider(String name, @Nullable String setting) {}

  /**
   * The names of the providers this machine can run: the default one first (under its own name,
   * should it have been chosen by an alias), then the others in name order.
   *
   * @param path the worker's {@code PATH}, or null
   * @throws ConfigException naming the program and the variable when the default's program is not
   *     there
   */
  public static List<String> offered(
      ProviderRegistry providers, DefaultProvider dflt, @Nullable String path) {
    Provider main = providers.get(dflt.name());
    List<String> others = new ArrayList<>();
    for (String name : providers.names()) {
      Provider p = providers.get(name);
      // An alias of the default (same provider under another name) is not a second provider.
      if (!p.equals(main) && locate(binary(p), path).isPresent()) {
        others.add(name);
      }
    }
    if (locate(binary(main), path).isEmpty()) {
      throw new ConfigException(missing(dflt, main, others));
    }
    List<String> out = new ArrayList<>(List.of(main.name()));
    out.addAll(others);
    return List.copyOf(out);
  }

  /** The program a provider starts: the first element of its argument vector. */
  public static String binary(Provider p) {
    return p.invocation(new RunRequest("", null, Path.of("."), "")).argv().get(0);
  }

  /**
   * The executable file {@code binary} names: itself when it holds a slash, else the first match in
   * {@code path} (an empty entry is the current directory, as for {@code execvp}).
   */
  public static Optional<Path> locate(String binary, @Nullable String path) {
    return ProgramPath.find(binary, null, path);
  }

  private static String missing(DefaultProvider dflt, Provider main, List<String> others) {
    String program = binary(main);
    String where =
        program.contains("/")
            ? "program \"" + program + "\" is not an executable file"
            : "program \"" + program + "\" not found on PATH";
    String chosen =
        dflt.setting() == null
            ? "no provider is set and the default, " + dflt.name() + ", cannot run: "
            : dflt.setting() + " " + dflt.name() + ": ";
    String fix =
        ProviderRegistry.BUILT_IN_NAMES.contains(main.name())
            ? "install it or set " + main.name().toUpperCase(Locale.ROOT) + "_PATH"
            : "fix its \"binary\" in MESH_PROVIDERS_FILE";
    String choose =
        others.isEmpty()
            ? ""
            : ", or set MESH_LLM_PROVIDER to one this machine has ("
                + String.join(", ", others)
                + ")";
    return chosen + where + " (" + fix + choose + ")";
  }
}

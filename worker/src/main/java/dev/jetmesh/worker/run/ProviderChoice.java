package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The provider and model a task runs with: the task's choice, then {@code MESH_LLM_PROVIDER}, then
 * {@code --provider}; the task's model, then {@code --model}, then the provider's default.
 * Immutable.
 *
 * @param provider the provider
 * @param model the model, or null when the provider picks
 */
public record ProviderChoice(Provider provider, @Nullable String model) {
  public ProviderChoice {
    requireNonNull(provider, "null provider");
  }

  /**
   * Resolves the choice for {@code task}.
   *
   * @throws ProviderException when the named provider is not known here
   */
  public static ProviderChoice of(Task task, ProviderRegistry providers, RunSettings settings) {
    Provider provider =
        providers.resolve(task.llmProvider(), settings.envProvider(), settings.flagProvider());
    String model = ProviderRegistry.resolveModel(task.llmModel(), settings.flagModel(), provider);
    return new ProviderChoice(provider, model);
  }
}

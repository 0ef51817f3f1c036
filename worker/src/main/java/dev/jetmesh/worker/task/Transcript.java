package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.MetricScore;
import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.mesh.OutputSink;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.run.MetricCheck;
import dev.jetmesh.worker.run.ProviderChoice;
import dev.jetmesh.worker.run.ProviderRun;
import dev.jetmesh.worker.run.RunSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The full record of one attempt (prompt, the provider's stdout and stderr, the metric's output),
 * written to the task's scratch directory and handed to the {@link OutputSink}; the attempt report
 * carries where it went. Not thread-safe: one per task.
 */
final class Transcript {
  private final RunSettings settings;
  private final OutputSink outputs;
  private final Task task;
  private final ProviderChoice choice;
  private final Path scratch;
  private final String namePrefix;

  Transcript(
      RunSettings settings,
      OutputSink outputs,
      Task task,
      ProviderChoice choice,
      Path scratch,
      @Nullable Long claimToken) {
    this.settings = requireNonNull(settings, "null settings");
    this.outputs = requireNonNull(outputs, "null outputs");
    this.task = requireNonNull(task, "null task");
    this.choice = requireNonNull(choice, "null choice");
    this.scratch = requireNonNull(scratch, "null scratch");
    // The claim token makes names unique across re-claims of the same task by the same node.
    String claim = claimToken != null ? "c" + claimToken : "t" + settings.clock().millis();
    this.namePrefix = task.taskId() + "/" + claim + "-";
  }

  /** Writes and stores attempt {@code n}'s transcript; null when it could not be kept. */
  @Nullable OutputRef keep(int n, String prompt, ProviderRun llm, @Nullable MetricCheck metric) {
    Path file = scratch.resolve("transcript-" + n + ".txt");
    try (OutputStream os = Files.newOutputStream(file)) {
      write(os, header(n, llm) + "\n\n===== prompt =====\n" + prompt);
      write(os, "\n===== provider stdout =====\n");
      write(os, llm.stdout());
      write(os, "\n===== provider stderr =====\n");
      write(os, llm.stderr());
      if (metric != null) {
        write(os, "\n===== metric (" + describe(metric.process()) + score(metric) + ") =====\n");
        write(os, metric.text());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = namePrefix + n + "-" + settings.nodeId() + "-attempt";
    return outputs.store(name, file).orElse(null);
  }

  private String header(int n, ProviderRun llm) {
    return "jetmesh attempt transcript\ntask: "
        + task.taskId()
        + "\nattempt: "
        + n
        + "/"
        + settings.maxAttempts()
        + "\nnode: "
        + settings.nodeId()
        + "\nprovider: "
        + choice.provider().name()
        + "\nmodel: "
        + choice.model()
        + "\nprogram: "
        + llm.invocation().argv().get(0)
        + " ("
        + llm.invocation().argv().size()
        + " arguments)\nexit: "
        + describe(llm.process());
  }

  private static String score(MetricCheck m) {
    return m.score() == null ? "" : ", score " + MetricScore.text(m.score());
  }

  private static void write(OutputStream os, String s) throws IOException {
    os.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(ProcessResult r) {
    if (r.exitCode() == null) {
      return "not started: " + r.startError();
    }
    return "code "
        + r.exitCode()
        + (r.timedOut() ? " (killed: timeout)" : "")
        + ", "
        + r.duration().toMillis()
        + " ms";
  }
}

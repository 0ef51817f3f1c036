package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.mesh.OutputSink;
import dev.jetmesh.worker.process.ChildEnvironment;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.process.ProcessRunner;
import dev.jetmesh.worker.process.ProcessSpec;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.RunOutput;
import dev.jetmesh.worker.provider.RunRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs one attempt: the provider in the worktree, then (if it exited 0 and the task has one) the
 * metric as {@code bash -c <metric>} in the worktree; writes the transcript (prompt, both outputs,
 * metric output) and hands it to the {@link OutputSink}; classifies the outcome with the
 * reference's wording. Not thread-safe: one per task, used by the attempt loop's thread.
 */
final class AttemptRunner {
  /** Tail of the metric output that is kept in memory (reference: 2000). */
  static final int METRIC_TAIL = 2000;

  private final RunSettings settings;
  private final OutputSink outputs;
  private final Task task;
  private final Provider provider;
  private final @Nullable String model;
  private final Worktree worktree;
  private final TaskControl control;
  private final Path scratch;
  private final String transcriptPrefix;

  AttemptRunner(
      RunSettings settings,
      OutputSink outputs,
      Task task,
      Provider provider,
      @Nullable String model,
      Worktree worktree,
      TaskControl control,
      Path scratch) {
    this.settings = settings;
    this.outputs = outputs;
    this.task = task;
    this.provider = provider;
    this.model = model;
    this.worktree = worktree;
    this.control = control;
    this.scratch = requireNonNull(scratch, "null scratch");
    // The claim token makes names unique across re-claims of the same task by the same node.
    String claim =
        control.claimToken() != null ? "c" + control.claimToken() : "t" + settings.clock().millis();
    this.transcriptPrefix = task.taskId() + "/" + claim + "-";
  }

  AttemptOutcome run(int n, String prompt, Instant deadline) {
    control.activity("llm");
    Invocation inv =
        provider.invocation(new RunRequest(prompt, model, worktree.path(), task.description()));
    Path out = scratch.resolve("llm-" + n + ".out");
    Path err = scratch.resolve("llm-" + n + ".err");
    ProcessResult llm =
        ProcessRunner.run(
            new ProcessSpec(
                inv.argv(),
                inv.cwd(),
                ChildEnvironment.without(settings.baseEnv(), inv.envStrip()),
                out,
                err,
                remaining(deadline)),
            control);
    String stdout = Outputs.read(out);
    String stderr = Outputs.read(err);
    RunOutput parsed = provider.interpret(stdout);
    if (llm.stopped() || control.stopRequested()) {
      return outcome(
          AttemptOutcome.Kind.STOPPED, n, "stopped", "", false, llm, null, 0, parsed, null);
    }

    boolean hasMetric = task.metric() != null && !task.metric().isBlank();
    Path metricOut = scratch.resolve("metric-" + n + ".out");
    ProcessResult metric = null;
    if (llm.succeeded() && hasMetric) {
      control.activity("metric");
      Duration limit = min(settings.metricTimeout(), remaining(deadline));
      metric =
          ProcessRunner.run(
              new ProcessSpec(
                  List.of("bash", "-c", task.metric()),
                  worktree.path(),
                  settings.baseEnv(),
                  metricOut,
                  null,
                  limit),
              control);
      if (metric.stopped() || control.stopRequested()) {
        return outcome(
            AttemptOutcome.Kind.STOPPED, n, "stopped", "", false, llm, null, 0, parsed, null);
      }
    }
    String metricText = metric == null ? "" : Outputs.tail(Outputs.read(metricOut), METRIC_TAIL);
    OutputRef ref = keepTranscript(n, prompt, inv, llm, stdout, stderr, metric, metricOut);
    long metricMs = metric == null ? 0 : metric.duration().toMillis();
    String p = provider.name();

    if (llm.exitCode() == null) {
      String why = "could not be started: " + llm.startError();
      return outcome(
          AttemptOutcome.Kind.PROVIDER_FAILED,
          n,
          p + " " + why,
          why,
          false,
          llm,
          null,
          0,
          parsed,
          ref);
    }
    if (llm.timedOut()) {
      return outcome(
          AttemptOutcome.Kind.OUT_OF_BUDGET,
          n,
          p + " was killed: the task's budget ran out",
          Outputs.tail(stderr.isBlank() ? stdout : stderr, 500),
          false,
          llm,
          null,
          0,
          parsed,
          ref);
    }
    if (llm.exitCode() != 0) {
      return outcome(
          AttemptOutcome.Kind.PROVIDER_FAILED,
          n,
          p + " exited with error (code " + llm.exitCode() + ")",
          Outputs.tail(stderr.isBlank() ? stdout : stderr, 500),
          false,
          llm,
          null,
          0,
          parsed,
          ref);
    }
    if (!hasMetric) {
      return outcome(
          AttemptOutcome.Kind.SUCCEEDED,
          n,
          "executed without metric",
          Outputs.tail(parsed.text(), 500),
          true,
          llm,
          null,
          0,
          parsed,
          ref);
    }
    if (Objects.requireNonNull(metric, "a successful run has had its metric run").succeeded()) {
      return outcome(
          AttemptOutcome.Kind.SUCCEEDED,
          n,
          "metric passed",
          Outputs.tail(metricText, 300),
          true,
          llm,
          true,
          metricMs,
          parsed,
          ref);
    }
    String failure =
        metric.timedOut()
            ? "metric timed out after " + limitText(settings.metricTimeout()) + "\n"
            : metric.exitCode() == null
                ? "metric could not be started: " + metric.startError()
                : "";
    return outcome(
        AttemptOutcome.Kind.METRIC_FAILED,
        n,
        "metric failed",
        Outputs.tail(failure + metricText, 500),
        false,
        llm,
        false,
        metricMs,
        parsed,
        ref);
  }

  private AttemptOutcome outcome(
      AttemptOutcome.Kind kind,
      int n,
      String approach,
      String result,
      boolean keep,
      ProcessResult llm,
      @Nullable Boolean metricPassed,
      long metricMs,
      RunOutput parsed,
      @Nullable OutputRef ref) {
    return new AttemptOutcome(
        kind,
        n,
        provider.name(),
        model,
        "Attempt " + n + ": " + approach,
        result,
        keep,
        llm.timedOut() || llm.stopped() ? null : llm.exitCode(),
        metricPassed,
        llm.duration().toMillis() + metricMs,
        parsed.costUsd(),
        parsed.tokens(),
        ref,
        parsed.text());
  }

  private @Nullable OutputRef keepTranscript(
      int n,
      String prompt,
      Invocation inv,
      ProcessResult llm,
      String stdout,
      String stderr,
      @Nullable ProcessResult metric,
      Path metricOut) {
    Path file = scratch.resolve("transcript-" + n + ".txt");
    try (OutputStream os = Files.newOutputStream(file)) {
      write(
          os,
          "jetmesh attempt transcript\ntask: "
              + task.taskId()
              + "\nattempt: "
              + n
              + "/"
              + settings.maxAttempts()
              + "\nnode: "
              + settings.nodeId()
              + "\nprovider: "
              + provider.name()
              + "\nmodel: "
              + model
              + "\nprogram: "
              + inv.argv().get(0)
              + " ("
              + inv.argv().size()
              + " arguments)\nexit: "
              + describe(llm)
              + "\n\n===== prompt =====\n"
              + prompt
              + "\n===== provider stdout =====\n");
      write(os, stdout);
      write(os, "\n===== provider stderr =====\n");
      write(os, stderr);
      if (metric != null) {
        write(os, "\n===== metric (" + describe(metric) + ") =====\n");
        Files.copy(metricOut, os);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = transcriptPrefix + n + "-" + settings.nodeId() + "-attempt";
    return outputs.store(name, file).orElse(null);
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

  private Duration remaining(Instant deadline) {
    Duration d = Duration.between(settings.clock().instant(), deadline);
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String limitText(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}

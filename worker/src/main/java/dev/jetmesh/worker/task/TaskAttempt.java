package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.run.AttemptRunner;
import dev.jetmesh.worker.run.MetricCheck;
import dev.jetmesh.worker.run.ProviderRun;
import dev.jetmesh.worker.run.RunSettings;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a solo task: the provider and then (if it exited 0 and the task has one) the
 * metric, both through the {@link AttemptRunner}; keeps the transcript; says what the attempt came
 * to, in the reference's wording. Not thread-safe: one per task, used by the attempt loop's thread.
 */
final class TaskAttempt {
  /** Tail of the metric output that is kept in memory (reference: 2000). */
  static final int METRIC_TAIL = 2000;

  private final RunSettings settings;
  private final AttemptRunner runner;
  private final Transcript transcript;

  TaskAttempt(RunSettings settings, AttemptRunner runner, Transcript transcript) {
    this.settings = requireNonNull(settings, "null settings");
    this.runner = requireNonNull(runner, "null runner");
    this.transcript = requireNonNull(transcript, "null transcript");
  }

  AttemptOutcome run(int n, String prompt, Instant deadline) {
    String tag = String.valueOf(n);
    ProviderRun llm = runner.runProvider(tag, prompt, remaining(deadline));
    if (llm.stopped()) {
      return stopped(n, llm);
    }
    MetricCheck metric = null;
    if (llm.process().succeeded() && runner.hasMetric()) {
      metric = runner.checkMetric(tag, min(settings.metricTimeout(), remaining(deadline)));
      if (metric.stopped()) {
        return stopped(n, llm);
      }
    }
    OutputRef ref = transcript.keep(n, prompt, llm, metric);
    return classify(n, llm, metric, ref);
  }

  /** The reference's approach and result texts for each way an attempt can end. */
  private AttemptOutcome classify(
      int n, ProviderRun llm, @Nullable MetricCheck metric, @Nullable OutputRef ref) {
    ProcessResult p = llm.process();
    String name = runner.choice().provider().name();
    String errTail = Outputs.tail(llm.stderr().isBlank() ? llm.stdout() : llm.stderr(), 500);
    if (p.exitCode() == null) {
      String why = "could not be started: " + p.startError();
      return failed(AttemptOutcome.Kind.PROVIDER_FAILED, n, name + " " + why, why, llm, ref);
    }
    if (p.timedOut()) {
      String approach = name + " was killed: the task's budget ran out";
      return failed(AttemptOutcome.Kind.OUT_OF_BUDGET, n, approach, errTail, llm, ref);
    }
    if (p.exitCode() != 0) {
      String approach = name + " exited with error (code " + p.exitCode() + ")";
      return failed(AttemptOutcome.Kind.PROVIDER_FAILED, n, approach, errTail, llm, ref);
    }
    if (metric == null) {
      String result = Outputs.tail(llm.output().text(), 500);
      return outcome(
          AttemptOutcome.Kind.SUCCEEDED, n, "executed without metric", result, llm, null, ref);
    }
    String metricText = metric.outputTail(METRIC_TAIL);
    if (metric.passed()) {
      String result = Outputs.tail(metricText, 300);
      return outcome(AttemptOutcome.Kind.SUCCEEDED, n, "metric passed", result, llm, metric, ref);
    }
    String result = Outputs.tail(metric.failureNote() + metricText, 500);
    return outcome(AttemptOutcome.Kind.METRIC_FAILED, n, "metric failed", result, llm, metric, ref);
  }

  private AttemptOutcome stopped(int n, ProviderRun llm) {
    return failed(AttemptOutcome.Kind.STOPPED, n, "stopped", "", llm, null);
  }

  private AttemptOutcome failed(
      AttemptOutcome.Kind kind,
      int n,
      String approach,
      String result,
      ProviderRun llm,
      @Nullable OutputRef ref) {
    return outcome(kind, n, approach, result, llm, null, ref);
  }

  /** {@code metric} is null when none ran; the attempt is kept exactly when it succeeded. */
  private AttemptOutcome outcome(
      AttemptOutcome.Kind kind,
      int n,
      String approach,
      String result,
      ProviderRun llm,
      @Nullable MetricCheck metric,
      @Nullable OutputRef ref) {
    ProcessResult p = llm.process();
    long metricMs = metric == null ? 0 : metric.process().duration().toMillis();
    return new AttemptOutcome(
        kind,
        n,
        runner.choice().provider().name(),
        runner.choice().model(),
        "Attempt " + n + ": " + approach,
        result,
        kind == AttemptOutcome.Kind.SUCCEEDED,
        p.timedOut() || p.stopped() ? null : p.exitCode(),
        metric == null ? null : metric.passed(),
        metric == null ? null : metric.score(),
        p.duration().toMillis() + metricMs,
        llm.output().costUsd(),
        llm.output().tokens(),
        ref,
        llm.output().text());
  }

  private Duration remaining(Instant deadline) {
    Duration d = Duration.between(settings.clock().instant(), deadline);
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

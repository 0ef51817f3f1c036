package dev.jetmesh.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.provider.ShellProvider;
import dev.jetmesh.worker.testing.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one runner of providers and metrics, with real processes: the shell provider runs the task
 * description in the worktree; the metric runs there too and is read the way task attempts and
 * collaboration rounds need it.
 */
class AttemptRunnerTest {
  @TempDir Path tmp;

  private AttemptRunner runner(String description, String metric, TaskControl control)
      throws IOException {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    RunSettings settings =
        new RunSettings(
            "node-r",
            3,
            Duration.ofSeconds(60),
            Backoff.REFERENCE,
            Duration.ofMillis(1500),
            null,
            null,
            null,
            Map.of("PATH", System.getenv("PATH")),
            scratch,
            Clock.systemUTC());
    Task task = Tasks.claimed("T-run", "Title", description, metric, "shell", 30, "node-r");
    ProviderChoice choice = new ProviderChoice(new ShellProvider("/bin/bash"), null);
    return new AttemptRunner(settings, choice, task, worktree, scratch, control);
  }

  @Test
  void provider_runsInTheWorktree_andItsOutputIsRead() throws IOException {
    TaskControl control = new TaskControl("T-run", 1L);
    AttemptRunner r = runner("echo made > out.txt; echo said; echo warned >&2", null, control);

    ProviderRun run = r.runProvider("1", "the prompt", Duration.ofSeconds(20));

    assertThat(run.process().succeeded()).isTrue();
    assertThat(run.stopped()).isFalse();
    assertThat(run.stdout()).isEqualTo("said\n");
    assertThat(run.stderr()).isEqualTo("warned\n");
    assertThat(run.output().text()).isEqualTo("said\n");
    assertThat(run.invocation().argv()).startsWith("/bin/bash", "-c");
    assertThat(tmp.resolve("wt/out.txt")).hasContent("made");
    assertThat(control.activity()).isEqualTo("llm");
    assertThat(r.hasMetric()).isFalse();
    assertThatThrownBy(() -> r.checkMetric("1", Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void metric_passesOrFails_onTheWorktree_withItsOutput() throws IOException {
    TaskControl control = new TaskControl("T-run", 1L);
    AttemptRunner r =
        runner("echo ok > result.txt", "echo checking; grep -qx ok result.txt", control);

    MetricCheck before = r.checkMetric("1", Duration.ofSeconds(20));
    assertThat(before.passed()).isFalse();
    assertThat(before.verdict()).isFalse();
    assertThat(before.failureNote()).isEmpty();
    assertThat(before.outputTail(100)).contains("checking").contains("result.txt");

    r.runProvider("2", "p", Duration.ofSeconds(20));
    MetricCheck after = r.checkMetric("2", Duration.ofSeconds(20));
    assertThat(after.passed()).isTrue();
    assertThat(after.verdict()).isTrue();
    assertThat(after.stopped()).isFalse();
    assertThat(control.activity()).isEqualTo("metric");
  }

  @Test
  void metricPastItsLimit_isKilled_andTheNoteNamesTheConfiguredTimeout() throws IOException {
    AttemptRunner r = runner("true", "sleep 30", new TaskControl("T-run", 1L));

    MetricCheck m = r.checkMetric("1", Duration.ofMillis(300));

    assertThat(m.process().timedOut()).isTrue();
    assertThat(m.passed()).isFalse();
    assertThat(m.verdict()).isFalse();
    assertThat(m.failureNote()).isEqualTo("metric timed out after 1500 ms\n");
  }

  @Test
  void aStoppedRun_killsTheProvider_andTheMetricCannotTell() throws IOException {
    TaskControl control = new TaskControl("T-run", 1L);
    control.stop(StopReason.STALL);
    AttemptRunner r = runner("sleep 30", "true", control);

    ProviderRun run = r.runProvider("1", "p", Duration.ofSeconds(20));
    MetricCheck m = r.checkMetric("1", Duration.ofSeconds(20));

    assertThat(run.stopped()).isTrue();
    assertThat(run.process().duration()).isLessThan(Duration.ofSeconds(10));
    assertThat(m.stopped()).isTrue();
    assertThat(m.verdict()).isNull();
  }

  @Test
  void metricScore_isReadFromItsStdoutOnly_andWithAThresholdDecidesThePass() throws IOException {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    RunSettings settings =
        new RunSettings(
            "node-r",
            3,
            Duration.ofSeconds(60),
            Backoff.REFERENCE,
            Duration.ofSeconds(20),
            null,
            null,
            null,
            Map.of("PATH", System.getenv("PATH")),
            scratch,
            Clock.systemUTC());
    Task task =
        Tasks.withScoreTarget(
            Tasks.claimed(
                "T-score",
                "Title",
                "true",
                "echo 'coverage 0.82'; echo 'at line 99' >&2; exit 1",
                "shell",
                30,
                "node-r"),
            new java.math.BigDecimal("0.8"),
            dev.jetmesh.schema.model.MetricDirection.HIGHER);
    AttemptRunner r =
        new AttemptRunner(
            settings,
            new ProviderChoice(new ShellProvider("/bin/bash"), null),
            task,
            worktree,
            scratch,
            new TaskControl("T-score", 1L));

    MetricCheck m = r.checkMetric("1", Duration.ofSeconds(20));

    assertThat(m.score()).isEqualByComparingTo("0.82");
    assertThat(m.process().exitCode()).isEqualTo(1);
    assertThat(m.passed()).as("0.82 meets 0.8, whatever the exit code").isTrue();
    assertThat(m.outputTail(200)).contains("coverage 0.82").contains("at line 99");
  }
}

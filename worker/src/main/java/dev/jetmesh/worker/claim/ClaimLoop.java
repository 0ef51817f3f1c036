package dev.jetmesh.worker.claim;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.NodeRequests;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.collab.CollabExecutor;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.NodeCommands;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import dev.jetmesh.worker.task.TaskExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's loop, on its own platform thread. It starts by joining the mesh ({@code
 * mesh.nodes.join}, asked again every poll interval while it gets no answer); a refused join ends
 * the loop with {@link #EXIT_REFUSED} and the mesh's reason ({@link #refusal}). Then, when idle, it
 * first joins a collaboration session it was recruited to ({@link Recruiting}), then claims ({@code
 * mesh.tasks.claim}) and works what it got: a solo task with the {@link TaskExecutor}, a task with
 * a {@code collaboration} spec as a session member with the {@link CollabExecutor}. A claim refused
 * with {@link ErrorCode#ALREADY_ACTIVE} after a restart releases the task the node held ({@link
 * RestartRecovery}) and claims again. After an empty claim it sleeps one poll interval, woken early
 * by a recruit broadcast or by {@link #stop}. A claim refused with {@link ErrorCode#UNAUTHORIZED}
 * (the node was removed, or the mesh has no record of its join) makes it join once more: a removed
 * node is refused there and the loop ends; a node the mesh forgot is joined again and claims. A
 * second refusal right after a join also ends the loop, so it never spins. Thread-safe.
 */
public final class ClaimLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

  /** The exit code after the mesh refused this node: an operator must act, restarting will not. */
  public static final int EXIT_REFUSED = 2;

  /**
   * What the loop needs of the configuration.
   *
   * @param nodeId this node
   * @param once claim once, work what came, and end
   * @param pollInterval the sleep after an empty or failed claim
   * @param clock time source of the recruiting poll
   * @param join what the node says about itself when it joins the mesh
   */
  public record Settings(
      String nodeId, boolean once, Duration pollInterval, Clock clock, NodeRequests.Join join) {
    public Settings {
      requireNonNull(nodeId, "null nodeId");
      requireNonNull(join, "null join");
      requireNonNull(pollInterval, "null pollInterval");
      requireNonNull(clock, "null clock");
    }
  }

  private final Settings settings;
  private final TaskCommands tasks;
  private final NodeCommands nodes;
  private final TaskExecutor taskExecutor;
  private final CollabExecutor collabExecutor;
  private final CurrentTask current;
  private final Recruiting recruiting;
  private final RestartRecovery recovery;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile int exitCode;
  private volatile @Nullable String refusal;
  private @Nullable Thread thread;

  /** Read and written by the loop's thread only. */
  private boolean joined;

  /** True from a join until a claim is answered: an UNAUTHORIZED claim then is final. */
  private boolean justJoined;

  public ClaimLoop(
      Settings settings,
      TaskCommands tasks,
      NodeCommands nodes,
      CollabCommands collab,
      TaskExecutor taskExecutor,
      CollabExecutor collabExecutor,
      CurrentTask current) {
    this.settings = requireNonNull(settings, "null settings");
    this.tasks = requireNonNull(tasks, "null tasks");
    this.nodes = requireNonNull(nodes, "null nodes");
    this.taskExecutor = requireNonNull(taskExecutor, "null taskExecutor");
    this.collabExecutor = requireNonNull(collabExecutor, "null collabExecutor");
    this.current = requireNonNull(current, "null current");
    this.recruiting =
        new Recruiting(tasks, collab, collabExecutor, current, settings, this::wake, closing::get);
    this.recovery = new RestartRecovery(tasks, settings.nodeId());
  }

  /** Listens to recruit broadcasts (unless {@code once}) and starts the loop's thread. */
  public void start() {
    if (!settings.once()) {
      recruiting.subscribe();
    }
    thread = Thread.ofPlatform().name("jetmesh-worker-" + settings.nodeId()).start(this::loop);
  }

  /** What the loop does after a claim. */
  private enum Next {
    /** The claim was answered (a task, or none): in {@code once} mode the loop ends. */
    ANSWERED,
    /** The claim was refused or got no answer: claim again, {@code once} or not. */
    RETRY,
    /** End the loop. */
    STOP
  }

  private void loop() {
    try {
      while (!closing.get()) {
        Next next = joined ? Next.ANSWERED : join();
        if (next == Next.STOP) {
          break;
        }
        if (next == Next.RETRY) {
          continue;
        }
        if (!settings.once() && recruiting.joinOne()) {
          continue;
        }
        next = claimAndWork();
        if (next == Next.STOP || (next == Next.ANSWERED && settings.once())) {
          break;
        }
      }
    } catch (RuntimeException e) {
      log.error("claim loop died", e);
      exitCode = 1;
    }
    log.info("worker {} stopped claiming", settings.nodeId());
  }

  /** {@code mesh.nodes.join}: ANSWERED once joined, RETRY after no answer, STOP when refused. */
  private Next join() {
    try {
      nodes.join(settings.join());
    } catch (RejectedException e) {
      return refused("the mesh refused node " + settings.nodeId() + ": " + e.getMessage());
    } catch (UnavailableException e) {
      log.warn(
          "join got no answer, asking again in {}: {}", settings.pollInterval(), e.getMessage());
      if (settings.once()) {
        exitCode = 1;
        return Next.STOP;
      }
      return pause() ? Next.RETRY : Next.STOP;
    }
    joined = true;
    justJoined = true;
    log.info(
        "node {} joined the mesh with providers {}",
        settings.nodeId(),
        settings.join().providers());
    return Next.ANSWERED;
  }

  private Next refused(String why) {
    refusal = why;
    exitCode = EXIT_REFUSED;
    return Next.STOP;
  }

  private Next claimAndWork() {
    Optional<Task> claimed;
    try {
      claimed = tasks.claim(settings.nodeId());
    } catch (RejectedException e) {
      if (e.code() == ErrorCode.UNAUTHORIZED) {
        if (justJoined) {
          return refused("node " + settings.nodeId() + " may not claim: " + e.getMessage());
        }
        log.warn("claim refused ({}): joining again", e.getMessage());
        joined = false;
        return Next.RETRY;
      }
      if (e.code() == ErrorCode.ALREADY_ACTIVE && recoverHeldTask()) {
        return Next.RETRY;
      }
      log.warn("claim refused: {}", e.getMessage());
      return pause() ? Next.RETRY : Next.STOP;
    } catch (UnavailableException e) {
      log.warn("claim failed: {}", e.getMessage());
      if (settings.once()) {
        exitCode = 1;
        return Next.STOP;
      }
      return pause() ? Next.RETRY : Next.STOP;
    }
    justJoined = false;
    if (claimed.isPresent()) {
      work(claimed.get());
    } else if (!settings.once()) {
      pause();
    }
    return Next.ANSWERED;
  }

  /** Releases the task a restart left this node holding; true when there was one. */
  private boolean recoverHeldTask() {
    if (current.taskId().isPresent()) {
      return false;
    }
    Optional<Task> held = recovery.heldTask();
    held.ifPresent(
        t -> {
          log.warn("releasing {}: this node owned it before a restart", t.taskId());
          release(t.taskId(), t.claimToken(), RestartRecovery.REASON);
        });
    return held.isPresent();
  }

  private void work(Task task) {
    TaskControl control = new TaskControl(task.taskId(), task.claimToken());
    current.during(control, () -> work(task, control));
  }

  private void work(Task task, TaskControl control) {
    log.info("claimed {} (token {})", task.taskId(), task.claimToken());
    if (closing.get()) {
      control.stop(StopReason.SHUTDOWN);
      release(task.taskId(), task.claimToken(), "worker shutting down");
      return;
    }
    if (task.collaboration() == null) {
      taskExecutor.execute(task, control);
      return;
    }
    if (task.collabSessionId() != null) {
      recruiting.tried(task.collabSessionId());
    }
    try {
      CollabExecutor.Outcome o = collabExecutor.executeClaimed(task, control);
      log.info("collaboration task {} ended for this node: {}", task.taskId(), o);
    } catch (RuntimeException e) {
      // A collaboration task is settled by its session: an error here must not fail it.
      log.error("collaboration task {} failed inside the worker", task.taskId(), e);
    }
  }

  private void release(String taskId, @Nullable Long token, String reason) {
    try {
      tasks.release(new TaskRequests.Fail(taskId, reason, null, settings.nodeId(), token));
    } catch (RuntimeException e) {
      log.warn("release of {} failed: {}", taskId, e.getMessage());
    }
  }

  /** Sleeps one poll interval unless closing or woken; false when closing. */
  private boolean pause() {
    long left = settings.pollInterval().toNanos();
    lock.lock();
    try {
      while (!closing.get() && !recruiting.pending() && left > 0) {
        left = wake.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing.set(true);
    } finally {
      lock.unlock();
    }
    return !closing.get();
  }

  private void wake() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True once {@link #stop} was called. */
  public boolean stopping() {
    return closing.get();
  }

  /**
   * 0 after a normal end, 1 when claiming failed or the loop died (or {@link #failed}), {@link
   * #EXIT_REFUSED} when the mesh refused the node.
   */
  public int exitCode() {
    return exitCode;
  }

  /** Why the mesh refused this node (one line, with the mesh's own message), if it did. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** Marks the run as failed: the worker's exit code becomes 1, unless the node was refused. */
  public void failed() {
    if (exitCode == 0) {
      exitCode = 1;
    }
  }

  /** No more claims; the current run is stopped (a solo task is then released). */
  public void stop() {
    closing.set(true);
    wake();
    current.stop(StopReason.SHUTDOWN);
  }

  /** Blocks at most {@code timeout}; true if the loop has ended. */
  public boolean await(Duration timeout) throws InterruptedException {
    return requireNonNull(thread, "not started").join(timeout);
  }

  /** Blocks until the loop has ended. */
  public void await() throws InterruptedException {
    requireNonNull(thread, "not started").join();
  }

  /** Stops listening to recruit broadcasts; call after the loop ended. */
  @Override
  public void close() {
    recruiting.close();
  }
}

package dev.jetmesh.worker.git;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Ids;
import dev.jetmesh.worker.process.Outputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task git isolation on top of one shared workspace repository: {@code <base>/<task_id>} on
 * branch {@code mesh/<task_id>}. Operations that touch the workspace's own checkout or its worktree
 * list (create, merge, remove) are serialised per workspace, because git's lock files make
 * concurrent ones fail rather than wait: by a lock per workspace within this JVM, and by an OS file
 * lock on {@code <git-common-dir>/jetmesh-workspace.lock} between worker processes that share the
 * workspace (e.g. replicas on one volume). Thread-safe.
 */
public final class Worktrees {
  private static final Logger log = LoggerFactory.getLogger(Worktrees.class);
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Git git;
  private final Path workspace;
  private final Path base;
  private final ReentrantLock lock;

  public Worktrees(Git git, Path workspace, Path base) {
    this.git = requireNonNull(git, "null git");
    this.workspace = requireNonNull(workspace, "null workspace").toAbsolutePath().normalize();
    this.base = requireNonNull(base, "null base").toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.workspace, p -> new ReentrantLock());
  }

  /**
   * Checks that {@code workspace} is the top of a git work tree with at least one commit; throws
   * {@link GitException} with a one-line reason otherwise.
   */
  public static void requireRepository(Git git, Path workspace) {
    if (!Files.isDirectory(workspace)) {
      throw new GitException("workspace " + workspace + " does not exist or is not a directory");
    }
    GitResult inside = git.run(workspace, "rev-parse", "--is-inside-work-tree");
    if (!inside.ok() || !inside.output().strip().equals("true")) {
      throw new GitException("workspace " + workspace + " is not a git repository");
    }
    if (!git.run(workspace, "rev-parse", "--verify", "--quiet", "HEAD").ok()) {
      throw new GitException("workspace " + workspace + " has no commit to branch from");
    }
  }

  /** The workspace repository. */
  public Path workspace() {
    return workspace;
  }

  /**
   * Creates the task's worktree from the workspace HEAD, first removing a stale worktree or branch
   * of the same task (a re-run of a task id starts clean).
   */
  public Worktree create(String taskId) {
    Ids.require("task_id", taskId);
    Path path = base.resolve(taskId);
    String branch = "mesh/" + taskId;
    try (WorkspaceLock held = acquire()) {
      Files.createDirectories(base);
      if (Files.exists(path)
          || git.run(workspace, "rev-parse", "--verify", "--quiet", branch).ok()) {
        log.info("replacing stale worktree {} / branch {}", path, branch);
        git.run(workspace, "worktree", "remove", "--force", path.toString());
        deleteRecursively(path);
        git.run(workspace, "worktree", "prune");
        git.run(workspace, "branch", "-D", branch);
      }
      String head = git.ok(workspace, "rev-parse", "HEAD");
      git.ok(workspace, "worktree", "add", "-b", branch, path.toString(), head);
      return new Worktree(taskId, path, branch, head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Throws away everything an attempt did: tracked changes, new files (ignored ones too) and any
   * commit the LLM made on the branch itself.
   */
  public void revert(Worktree wt) {
    git.ok(wt.path(), "reset", "--hard", wt.baseSha());
    git.ok(wt.path(), "clean", "-fdx");
  }

  /**
   * Stages everything and commits it with {@code message} (one argument, never parsed by a shell).
   * Returns the branch head when the branch now differs from where it started, or empty when there
   * is nothing to merge.
   */
  public Optional<String> commit(Worktree wt, String message) {
    git.ok(wt.path(), "add", "-A");
    if (!git.ok(wt.path(), "status", "--porcelain").isEmpty()) {
      git.ok(wt.path(), "commit", "-q", "-m", message);
    }
    String head = git.ok(wt.path(), "rev-parse", "HEAD");
    return head.equals(wt.baseSha()) ? Optional.empty() : Optional.of(head);
  }

  /** Paths changed on the branch since it started. */
  public List<String> changedFiles(Worktree wt, String sha) {
    String out = git.ok(wt.path(), "diff", "--name-only", "-z", wt.baseSha(), sha);
    return Arrays.stream(out.split("\0")).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * The paths {@code git status --porcelain} lists in the worktree (untracked files one by one; for
   * a rename, the new path). Read with {@code -z}, so that no path is quoted or split.
   */
  public List<String> statusPaths(Worktree wt) {
    GitResult r = git.run(wt.path(), "status", "--porcelain=v1", "-z", "-uall");
    if (!r.ok()) {
      throw new GitException("git status failed in " + wt.path() + ": " + tail(r));
    }
    List<String> out = new java.util.ArrayList<>();
    String[] entries = r.output().split("\0", -1);
    for (int i = 0; i < entries.length; i++) {
      String e = entries[i];
      if (e.length() < 4) {
        continue;
      }
      out.add(e.substring(3));
      if (e.charAt(0) == 'R' || e.charAt(0) == 'C') {
        i++; // the entry after a rename or copy is its source path
      }
    }
    return out;
  }

  /**
   * Merges the branch into the workspace's checked-out branch with {@code --no-ff}. On failure it
   * aborts, fast-forwards the workspace from its upstream when it has one, and tries once more; if
   * that fails too the merge is aborted and reported as a conflict, and the branch stays.
   */
  public MergeResult merge(Worktree wt) {
    try (WorkspaceLock held = acquire()) {
      GitResult first = git.run(workspace, "merge", "--no-ff", "--no-edit", wt.branch());
      if (first.ok()) {
        return new MergeResult(true, false, "");
      }
      log.warn("merge of {} failed, retrying once: {}", wt.branch(), tail(first));
      git.run(workspace, "merge", "--abort");
      if (git.run(workspace, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}").ok()) {
        git.run(workspace, "pull", "--ff-only");
      }
      GitResult second = git.run(workspace, "merge", "--no-ff", "--no-edit", wt.branch());
      if (second.ok()) {
        return new MergeResult(true, false, "");
      }
      git.run(workspace, "merge", "--abort");
      log.warn("merge of {} failed again; keeping the branch: {}", wt.branch(), tail(second));
      return new MergeResult(false, true, tail(second));
    }
  }

  /** Removes the worktree directory; deletes the branch too when asked (after a merge). */
  public void remove(Worktree wt, boolean deleteBranch) {
    try (WorkspaceLock held = acquire()) {
      if (!git.run(workspace, "worktree", "remove", "--force", wt.path().toString()).ok()) {
        deleteRecursively(wt.path());
        git.run(workspace, "worktree", "prune");
      }
      if (deleteBranch) {
        git.run(workspace, "branch", "-D", wt.branch());
      }
    }
  }

  /** Both locks, released in reverse order on close. */
  private final class WorkspaceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock fileLock;

    WorkspaceLock(FileChannel channel, FileLock fileLock) {
      this.channel = channel;
      this.fileLock = fileLock;
    }

    @Override
    public void close() {
      try {
        fileLock.release();
        channel.close();
      } catch (IOException e) {
        log.debug("releasing workspace lock: {}", e.toString());
      } finally {
        lock.unlock();
      }
    }
  }

  private WorkspaceLock acquire() {
    lock.lock();
    try {
      Path common = workspace.resolve(git.ok(workspace, "rev-parse", "--git-common-dir").strip());
      FileChannel ch =
          FileChannel.open(
              common.resolve("jetmesh-workspace.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      try {
        return new WorkspaceLock(ch, ch.lock()); // blocks until other processes let go
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      lock.unlock();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  private static String tail(GitResult r) {
    return Outputs.tail(r.output().strip(), 500);
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}

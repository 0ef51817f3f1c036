package dev.jetmesh.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.worker.testing.GitRepos;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes that share one workspace (replicas on a volume) must not run git operations on
 * it at the same time. Another process holds the workspace lock; create must wait for it.
 */
class WorktreesLockTest {
  @TempDir Path tmp;

  @Test
  void create_waitsForAnotherProcessHoldingTheWorkspaceLock() throws Exception {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Worktrees trees =
        new Worktrees(new Git(System.getenv(), Duration.ofMinutes(1)), ws, tmp.resolve("trees"));
    Path lockFile = ws.resolve(".git/jetmesh-workspace.lock");
    // A POSIX record lock, the kind Java's FileChannel.lock takes on Linux, held for a while.
    Process holder =
        new ProcessBuilder(
                List.of(
                    "python3",
                    "-c",
                    "import fcntl, sys, time\n"
                        + "f = open(sys.argv[1], 'a')\n"
                        + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                        + "print('locked', flush=True)\n"
                        + "time.sleep(1.5)\n",
                    lockFile.toString()))
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      Worktree wt = trees.create("T-1");
      // create could only take the lock once the holder let go, i.e. exited.
      assertThat(holder.isAlive()).as("lock holder still running when create returned").isFalse();
      assertThat(wt.path()).exists();
    } finally {
      holder.destroyForcibly();
    }
  }
}

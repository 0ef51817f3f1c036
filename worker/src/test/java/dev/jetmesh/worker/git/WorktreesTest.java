package dev.jetmesh.worker.git;

import static dev.jetmesh.worker.testing.GitRepos.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.worker.testing.GitRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorktreesTest {
  @TempDir Path tmp;

  private Path ws;
  private Worktrees trees;

  private void setUp() {
    ws = GitRepos.init(tmp.resolve("ws"));
    trees =
        new Worktrees(new Git(System.getenv(), Duration.ofMinutes(1)), ws, tmp.resolve("trees"));
  }

  @Test
  void create_branchesFromHead_inItsOwnDirectory() {
    setUp();
    Worktree wt = trees.create("T-1");
    assertThat(wt.path()).isEqualTo(tmp.resolve("trees/T-1"));
    assertThat(wt.branch()).isEqualTo("mesh/T-1");
    assertThat(wt.baseSha()).isEqualTo(git(ws, "rev-parse", "HEAD"));
    assertThat(wt.path().resolve("README.md")).exists();
    assertThat(git(wt.path(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("mesh/T-1");
  }

  @Test
  void create_replacesAStaleWorktreeAndBranch() throws IOException {
    setUp();
    Worktree first = trees.create("T-1");
    Files.writeString(first.path().resolve("stale.txt"), "old");
    trees.commit(first, "stale work");
    Worktree again = trees.create("T-1");
    assertThat(again.path().resolve("stale.txt")).doesNotExist();
    assertThat(git(ws, "rev-parse", "mesh/T-1")).isEqualTo(git(ws, "rev-parse", "HEAD"));
  }

  @Test
  void revert_dropsChanges_newAndIgnoredFiles_andCommitsOnTheBranch() throws IOException {
    setUp();
    Worktree wt = trees.create("T-1");
    Files.writeString(wt.path().resolve("README.md"), "changed");
    Files.writeString(wt.path().resolve("new.txt"), "new");
    Files.writeString(wt.path().resolve(".gitignore"), "build/\n");
    Files.createDirectories(wt.path().resolve("build"));
    Files.writeString(wt.path().resolve("build/out.bin"), "x");
    git(wt.path(), "add", "new.txt");
    git(wt.path(), "commit", "-q", "-m", "llm committed by itself");
    trees.revert(wt);
    assertThat(Files.readString(wt.path().resolve("README.md"))).isEqualTo("hello\n");
    assertThat(wt.path().resolve("new.txt")).doesNotExist();
    assertThat(wt.path().resolve("build")).doesNotExist();
    assertThat(git(wt.path(), "rev-parse", "HEAD")).isEqualTo(wt.baseSha());
  }

  @Test
  void commitAndMerge_bringTheWorkIntoTheWorkspace_withAHostileMessage() throws IOException {
    setUp();
    Path marker = Path.of("/tmp/pwned-" + UUID.randomUUID());
    Worktree wt = trees.create("T-1");
    Files.writeString(wt.path().resolve("feature.txt"), "feature\n");
    String message = "mesh(T-1): \"quoted\" $(touch " + marker + ") `touch " + marker + "`\nline2";
    Optional<String> sha = trees.commit(wt, message);
    assertThat(sha).isPresent();
    assertThat(trees.changedFiles(wt, sha.get())).containsExactly("feature.txt");
    MergeResult m = trees.merge(wt);
    assertThat(m.merged()).isTrue();
    assertThat(ws.resolve("feature.txt")).hasContent("feature");
    assertThat(git(ws, "log", "-1", "--format=%P").split(" ")).hasSize(2);
    assertThat(git(ws, "log", "--format=%B", "-n", "1", sha.get())).isEqualTo(message);
    assertThat(marker).doesNotExist();
    trees.remove(wt, true);
    assertThat(wt.path()).doesNotExist();
    assertThat(GitRepos.hasBranch(ws, "mesh/T-1")).isFalse();
  }

  @Test
  void commit_ofACleanWorktree_hasNothingToMerge() {
    setUp();
    Worktree wt = trees.create("T-1");
    assertThat(trees.commit(wt, "nothing")).isEmpty();
  }

  @Test
  void conflict_isReported_andTheBranchIsKept() throws IOException {
    setUp();
    Worktree wt = trees.create("T-1");
    Files.writeString(wt.path().resolve("README.md"), "from the task\n");
    trees.commit(wt, "task edit");
    Files.writeString(ws.resolve("README.md"), "from someone else\n");
    git(ws, "commit", "-q", "-am", "concurrent edit");
    MergeResult m = trees.merge(wt);
    assertThat(m.merged()).isFalse();
    assertThat(m.conflict()).isTrue();
    assertThat(Files.readString(ws.resolve("README.md"))).isEqualTo("from someone else\n");
    assertThat(git(ws, "status", "--porcelain")).isEmpty();
    trees.remove(wt, false);
    assertThat(GitRepos.hasBranch(ws, "mesh/T-1")).isTrue();
  }

  @Test
  void requireRepository_explainsWhatIsWrong() throws IOException {
    Git g = new Git(System.getenv(), Duration.ofMinutes(1));
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Worktrees.requireRepository(g, plain))
        .hasMessageContaining("is not a git repository");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    git(empty, "init", "-q");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Worktrees.requireRepository(g, empty))
        .hasMessageContaining("has no commit");
  }
}

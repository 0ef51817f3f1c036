package dev.jetmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.worker.testing.GitRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MESH_SCRATCH_DIR}: one directory per user, created {@code rwx------}, and a worker that
 * refuses to start (exit 2, one line) with one that is not its own alone. A directory of another
 * user cannot be made without root, so that case is checked against another uid.
 */
class ScratchDirTest {
  @TempDir Path tmp;
  private Path workspace;

  @BeforeEach
  void workspace() {
    workspace = GitRepos.init(tmp.resolve("ws"));
  }

  private Map<String, String> env(Path scratch) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    env.put("PATH", System.getenv("PATH"));
    env.put("MESH_NODE_ID", "node-1");
    env.put("MESH_LLM_PROVIDER", "shell");
    env.put("MESH_WORKSPACE", workspace.toString());
    env.put("MESH_SCRATCH_DIR", scratch.toString());
    return env;
  }

  /** The worker's stderr line when started with {@code scratch}; it must exit 2. */
  private String refusal(Path scratch) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {"--once"},
            env(scratch),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text).doesNotContain("Exception");
    return text.strip();
  }

  @Test
  void default_isPerUser_inTheTempDir_byNameOrElseUid() {
    assertThat(ScratchDir.defaultPath("/tmp", "alice", 1000))
        .isEqualTo(Path.of("/tmp/jetmesh-worker-alice"));
    // A uid without a passwd entry has the user name "?": the uid names the directory instead.
    assertThat(ScratchDir.defaultPath("/tmp", "?", 1234))
        .isEqualTo(Path.of("/tmp/jetmesh-worker-1234"));
    assertThat(ScratchDir.defaultPath("/tmp", "../x", 7))
        .isEqualTo(Path.of("/tmp/jetmesh-worker-7"));
    Map<String, String> env = env(tmp.resolve("unused"));
    env.remove("MESH_SCRATCH_DIR");
    Path dflt =
        Path.of(
                System.getProperty("java.io.tmpdir"),
                "jetmesh-worker-" + System.getProperty("user.name"))
            .toAbsolutePath()
            .normalize();
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env).scratch()).isEqualTo(dflt);
    assertThat(dflt).isDirectory();
  }

  @Test
  void missingDirectory_isCreated_forThisUserOnly() throws IOException {
    Path dir = tmp.resolve("a/b/scratch");
    WorkerConfig c = WorkerConfig.load(WorkerConfig.Flags.NONE, env(dir));
    assertThat(c.scratch()).isEqualTo(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    // A second start finds it as the first left it.
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env(dir)).scratch()).isEqualTo(dir);
  }

  @Test
  void symbolicLink_isRefused_evenToADirectoryOfThisUser() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertThat(refusal(link))
        .isEqualTo(
            "jetmesh-worker: scratch directory "
                + link
                + " is a symbolic link (set MESH_SCRATCH_DIR to a directory of this user's own)");
    // A dangling one is not followed to create what it points at.
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
    assertThat(refusal(dangling)).contains("is a symbolic link");
    assertThat(tmp.resolve("nowhere")).doesNotExist();
  }

  @Test
  void directoryOthersMayWrite_isRefused() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(refusal(dir))
        .isEqualTo(
            "jetmesh-worker: scratch directory "
                + dir
                + " is writable by other users (rwxrwxrwx; chmod go-w it) (set MESH_SCRATCH_DIR"
                + " to a directory of this user's own)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
    assertThat(refusal(dir)).contains("is writable by other users (rwxrwxr-x;");
    // Readable by others is fine: only a writer could swap the files a run leaves.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env(dir)).scratch()).isEqualTo(dir);
  }

  @Test
  void directoryThisUserCannotWrite_isRefused() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("readonly"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    try {
      assertThat(refusal(dir)).contains("scratch directory " + dir + " is not writable");
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aFile_isRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThat(refusal(file)).contains("scratch directory " + file + " is not a directory");
  }

  @Test
  void directoryOfAnotherUser_isRefused() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("theirs"));
    long me = ScratchDir.uid();
    assertThat((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo((int) me);
    ScratchDir.check(dir, me);
    assertThatThrownBy(() -> ScratchDir.check(dir, me + 1))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "scratch directory "
                + dir
                + " belongs to uid "
                + me
                + ", not to this user (uid "
                + (me + 1)
                + ") (set MESH_SCRATCH_DIR to a directory of this user's own)");
  }
}

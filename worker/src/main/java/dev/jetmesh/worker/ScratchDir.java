package dev.jetmesh.worker;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directory where runs capture their output ({@code MESH_SCRATCH_DIR}). The default is one per
 * user in {@code java.io.tmpdir}, never one per machine: a directory another user created there
 * would fail every task of this worker, and one another user planted (or a symbolic link) would get
 * its output. So the directory is created {@code rwx------} in one step, and at start it must be a
 * real directory, owned by this user, writable by it and by nobody else, or the worker does not
 * start. Stateless.
 */
final class ScratchDir {
  static final String SETTING = "MESH_SCRATCH_DIR";
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private ScratchDir() {}

  /**
   * {@code <tmpdir>/jetmesh-worker-<user>}: the user name when it is a plain file name (it is
   * {@code ?} for a uid without a passwd entry, as in some containers), else the uid.
   */
  static Path defaultPath(String tmpdir, String userName, long uid) {
    String who = PLAIN_NAME.matcher(userName).matches() ? userName : Long.toString(uid);
    return Path.of(tmpdir, "jetmesh-worker-" + who).toAbsolutePath().normalize();
  }

  /** The uid this process runs as: what owns the files it creates. */
  static long uid() {
    return new UnixSystem().getUid();
  }

  /**
   * Creates {@code dir} when missing ({@code rwx------}, its parents as usual), then checks it;
   * returns it. Throws {@link ConfigException} naming the setting when it cannot be used.
   */
  static Path prepare(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      create(dir);
    }
    check(dir, uid());
    return dir;
  }

  private static void create(Path dir) {
    try {
      Path parent = dir.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // The permissions are part of the creation: no moment when the directory is open to others.
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // Created meanwhile (another worker of this user, or someone else): check decides.
    } catch (IOException | UnsupportedOperationException e) {
      throw refused(dir, "cannot be created: " + e);
    }
  }

  /** Refuses {@code dir} unless {@code uid} may use it alone. */
  static void check(Path dir, long uid) {
    PosixFileAttributes a;
    int owner;
    try {
      a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      throw refused(dir, "cannot be read: " + e);
    }
    if (a.isSymbolicLink()) {
      throw refused(dir, "is a symbolic link");
    }
    if (!a.isDirectory()) {
      throw refused(dir, "is not a directory");
    }
    if (owner != uid) {
      throw refused(dir, "belongs to uid " + owner + ", not to this user (uid " + uid + ")");
    }
    if (a.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
      throw refused(
          dir,
          "is writable by other users ("
              + PosixFilePermissions.toString(a.permissions())
              + "; chmod go-w it)");
    }
    if (!a.permissions().contains(PosixFilePermission.OWNER_WRITE)
        || !a.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
        || !Files.isWritable(dir)) {
      throw refused(dir, "is not writable by this user");
    }
  }

  private static ConfigException refused(Path dir, String why) {
    return new ConfigException(
        "scratch directory "
            + dir
            + " "
            + why
            + " (set "
            + SETTING
            + " to a directory of this user's own)");
  }
}

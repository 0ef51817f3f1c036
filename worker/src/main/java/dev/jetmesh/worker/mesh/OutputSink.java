package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.model.OutputRef;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where full run transcripts go. Implementations are thread-safe and never throw for a storage
 * failure: a transcript that could not be kept is logged and yields empty, because losing it must
 * not fail the task.
 */
public interface OutputSink {
  /** Stores the bytes of {@code file} as {@code name}; returns where they went. */
  Optional<OutputRef> store(String name, Path file);

  /** A sink that keeps nothing. */
  OutputSink NONE = (name, file) -> Optional.empty();
}

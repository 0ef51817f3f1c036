package dev.jetmesh.orchestrator.store;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;

/**
 * Reads the attempt transcripts workers keep in the JetStream object store bucket {@value #BUCKET}
 * (the worker's {@code ObjectStoreOutputs} writes them). The orchestrator never writes there.
 * Thread-safe: each call binds the bucket anew, which is one cheap handle, so that a bucket created
 * after start (by the first worker that keeps a transcript) is found.
 */
public final class Transcripts {
  /** The bucket every worker writes transcripts to. */
  public static final String BUCKET = Subjects.OUTPUTS_BUCKET;

  /** JetStream's "stream not found": the bucket does not exist (yet). */
  private static final int STREAM_NOT_FOUND = 10059;

  private final Connection nc;

  public Transcripts(EventStore store) {
    this.nc = requireNonNull(store, "null store").connection();
  }

  /**
   * The size in bytes of the object {@code name}, or empty when the bucket does not hold it (never
   * stored, deleted, or no bucket at all) or holds only a link. Links are never served: a worker
   * may write to this bucket, and jnats would follow a link into any bucket the orchestrator's user
   * can read (or around in a circle).
   *
   * @throws EventStoreException when JetStream fails or does not answer
   */
  public OptionalLong size(String name) {
    try {
      ObjectInfo info = nc.objectStore(BUCKET).getInfo(name);
      return info == null || info.isDeleted() || info.isLink()
          ? OptionalLong.empty()
          : OptionalLong.of(info.getSize());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return OptionalLong.empty();
      }
      throw new EventStoreException("cannot read the " + BUCKET + " object store: " + e, e);
    } catch (IOException | RuntimeException e) {
      throw new EventStoreException("cannot read the " + BUCKET + " object store: " + e, e);
    }
  }

  /**
   * Writes the object {@code name} to {@code out} chunk by chunk as JetStream delivers them (one
   * chunk in memory at a time, however large the object), then checks its digest.
   *
   * @throws IOException when {@code out} fails (the reader went away), the object is gone or has
   *     become a link, or its bytes do not match its digest; part of it may have been written
   */
  public void copy(String name, OutputStream out) throws IOException, InterruptedException {
    try {
      ObjectStore os = nc.objectStore(BUCKET);
      ObjectInfo info = os.getInfo(name);
      if (info == null || info.isDeleted() || info.isLink()) {
        throw new IOException(name + " is not an object of its own in " + BUCKET);
      }
      os.get(name, out);
    } catch (JetStreamApiException | RuntimeException e) {
      throw new IOException("cannot read " + name + " from " + BUCKET + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}

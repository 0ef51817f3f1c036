package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.OutputRef;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps transcripts in the JetStream object store bucket {@value #BUCKET}, creating it (file
 * storage, no TTL) on first use. The SHA-256 is computed here over exactly the bytes stored, in
 * lower-case hex. Thread-safe: the bucket handle is created once under a lock.
 */
final class ObjectStoreOutputs implements OutputSink {
  /** The bucket every worker writes transcripts to. */
  public static final String BUCKET = Subjects.OUTPUTS_BUCKET;

  private static final Logger log = LoggerFactory.getLogger(ObjectStoreOutputs.class);

  private final Connection nc;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable ObjectStore store;

  ObjectStoreOutputs(Connection nc) {
    this.nc = requireNonNull(nc, "null connection");
  }

  @Override
  public Optional<OutputRef> store(String name, Path file) {
    try {
      ObjectStore os = bucket();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
        os.put(ObjectMeta.builder(name).description("jetmesh run transcript").build(), in);
      }
      long size = Files.size(file);
      return Optional.of(new OutputRef(BUCKET, name, size, HexFormat.of().formatHex(sha.digest())));
    } catch (IOException | JetStreamApiException | NoSuchAlgorithmException | RuntimeException e) {
      log.warn("could not keep transcript {} in {}: {}", name, BUCKET, e.toString());
      return Optional.empty();
    }
  }

  private ObjectStore bucket() throws IOException, JetStreamApiException {
    lock.lock();
    try {
      if (store == null) {
        ObjectStoreManagement osm = nc.objectStoreManagement();
        if (!osm.getBucketNames().contains(BUCKET)) {
          try {
            osm.create(
                ObjectStoreConfiguration.builder(BUCKET)
                    .description("jetmesh: full LLM and metric output of every attempt")
                    .storageType(StorageType.File)
                    .build());
          } catch (JetStreamApiException e) {
            // Another worker may have created it between the check and the create.
            if (!osm.getBucketNames().contains(BUCKET)) {
              throw e;
            }
          }
        }
        store = nc.objectStore(BUCKET);
      }
      return store;
    } finally {
      lock.unlock();
    }
  }
}

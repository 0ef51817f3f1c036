package dev.jetmesh.bench;

import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.api.ConsumerConfiguration;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The raw baseline the projector and the rebuild are compared with: a durable pull consumer
 * configured as the projector's (ack all, same fetch options and batch size) and a plain JDBC batch
 * insert of (seq, subject, data::jsonb) per fetched batch, one transaction per batch, acknowledged
 * after commit.
 */
final class RawBaseline {
  private static final String SCRATCH_SCHEMA = "bench_scratch";

  private RawBaseline() {}

  /** One pass over the stream up to {@code upTo}, into a new table; returns {events, nanos}. */
  static long[] pass(Mesh mesh, String table, String durable, long upTo, int batch, Duration max)
      throws Exception {
    Connection nc = mesh.admin();
    ConsumerConfiguration cc = EventFeed.consumer(durable, 0);
    ConsumerContext consumer = nc.getStreamContext(mesh.stream()).createOrUpdateConsumer(cc);
    FetchConsumeOptions opts =
        FetchConsumeOptions.builder().maxMessages(batch).noWaitExpiresIn(1000).build();
    TestDatabase db = mesh.db();
    Properties props = new Properties();
    props.setProperty("user", db.user());
    props.setProperty("password", db.password());
    props.setProperty("reWriteBatchedInserts", "true");
    try (java.sql.Connection pg = DriverManager.getConnection(db.url(), props)) {
      // A schema of its own: Flyway refuses to migrate a non-empty "public" schema.
      try (Statement s = pg.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + SCRATCH_SCHEMA);
        s.execute(
            "CREATE TABLE "
                + SCRATCH_SCHEMA
                + "."
                + table
                + " (seq bigint PRIMARY KEY, subject text NOT NULL, data jsonb NOT NULL)");
      }
      pg.setAutoCommit(false);
      long deadline = System.nanoTime() + max.toNanos();
      long count = 0;
      long lastSeq = 0;
      long t0 = System.nanoTime();
      try (PreparedStatement ps =
          pg.prepareStatement(
              "INSERT INTO "
                  + SCRATCH_SCHEMA
                  + "."
                  + table
                  + " (seq, subject, data) VALUES (?, ?, CAST(? AS jsonb))")) {
        while (lastSeq < upTo && System.nanoTime() < deadline) {
          List<Message> msgs = new ArrayList<>(batch);
          try (FetchConsumer fc = consumer.fetch(opts)) {
            Message m;
            while ((m = fc.nextMessage()) != null) {
              msgs.add(m);
            }
          }
          if (msgs.isEmpty()) {
            continue;
          }
          for (Message m : msgs) {
            ps.setLong(1, m.metaData().streamSequence());
            ps.setString(2, m.getSubject());
            ps.setString(3, new String(m.getData(), StandardCharsets.UTF_8));
            ps.addBatch();
          }
          ps.executeBatch();
          pg.commit();
          Message lastMsg = msgs.get(msgs.size() - 1);
          lastMsg.ack();
          lastSeq = lastMsg.metaData().streamSequence();
          count += msgs.size();
        }
      }
      long nanos = System.nanoTime() - t0;
      nc.jetStreamManagement().deleteConsumer(mesh.stream(), durable);
      return new long[] {count, nanos};
    }
  }
}

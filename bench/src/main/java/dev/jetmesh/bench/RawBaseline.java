package dev.jetmesh.bench;

import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The raw baseline the projector and the rebuild are compared with: the stream read exactly as the
 * projector reads it (its consumer's configuration and {@link EventFeed.Subscription}, same batch
 * size) and a plain JDBC batch insert of (seq, subject, data::jsonb) per fetched batch, one
 * transaction per batch, acknowledged after commit.
 */
final class RawBaseline {
  private static final String SCRATCH_SCHEMA = "bench_scratch";

  private RawBaseline() {}

  /** One pass over the stream up to {@code upTo}, into a new table; returns {events, nanos}. */
  static long[] pass(Mesh mesh, String table, String durable, long upTo, int batch, Duration max)
      throws Exception {
    Connection nc = mesh.admin();
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
        try (EventFeed.Subscription sub = new EventFeed(nc, mesh.stream(), durable).open(0)) {
          while (lastSeq < upTo && System.nanoTime() < deadline) {
            List<EventFeed.Delivery> msgs = sub.fetch(batch);
            if (msgs.isEmpty()) {
              continue;
            }
            for (EventFeed.Delivery m : msgs) {
              ps.setLong(1, m.seq());
              ps.setString(2, m.subject());
              ps.setString(3, new String(m.data(), StandardCharsets.UTF_8));
              ps.addBatch();
            }
            ps.executeBatch();
            pg.commit();
            EventFeed.Delivery lastMsg = msgs.get(msgs.size() - 1);
            lastMsg.ack();
            lastSeq = lastMsg.seq();
            count += msgs.size();
          }
        }
      }
      long nanos = System.nanoTime() - t0;
      nc.jetStreamManagement().deleteConsumer(mesh.stream(), durable);
      return new long[] {count, nanos};
    }
  }
}

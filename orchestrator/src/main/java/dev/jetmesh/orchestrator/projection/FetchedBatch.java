package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.store.EventFeed.Delivery;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A fetched batch, decoded up to the first event that cannot be decoded or is over {@link
 * EventStore#MAX_EVENT_BYTES} (the poison, if any), with each good event's {@code event_log} row
 * already rendered: that work needs nothing but the event, so the fetcher does it while the batch
 * before is applied.
 */
record FetchedBatch(
    List<Delivery> deliveries,
    List<StoredEvent> good,
    Map<Long, String> logRows,
    @Nullable Delivery poison,
    @Nullable String poisonReason) {

  static FetchedBatch decode(List<Delivery> deliveries) {
    List<StoredEvent> good = new ArrayList<>(deliveries.size());
    Map<Long, String> logRows = new HashMap<>(deliveries.size() * 2);
    for (Delivery d : deliveries) {
      if (d.data().length > EventStore.MAX_EVENT_BYTES) {
        return new FetchedBatch(
            deliveries,
            good,
            logRows,
            d,
            "event of "
                + d.data().length
                + " bytes, over the limit of "
                + EventStore.MAX_EVENT_BYTES
                + " (no orchestrator appends one)");
      }
      try {
        EventCodec.Decoded decoded = EventCodec.decodeWithSpan(d.data());
        StoredEvent e = new StoredEvent(d.seq(), d.subject(), decoded.envelope());
        good.add(e);
        logRows.put(d.seq(), EventLogWriter.row(e, storedPayload(d.data(), decoded)));
      } catch (EventCodec.UndecodableEventException e) {
        return new FetchedBatch(deliveries, good, logRows, d, e.getMessage());
      }
    }
    return new FetchedBatch(deliveries, good, logRows, null, null);
  }

  /**
   * The payload's JSON as the stream holds it, for {@code event_log}: encoding the decoded payload
   * again cost 9 % of the projector's CPU. Null (encode it again) where the parser could not tell
   * where it lies, or where it holds a Unicode escape (backslash, u): JSON allows escaped NUL
   * characters and lone surrogates, {@code jsonb} refuses both, and events appended before requests
   * were cleaned of them may hold some; encoding again writes what event_log always had for them.
   */
  static @Nullable String storedPayload(byte[] data, EventCodec.Decoded decoded) {
    int from = decoded.payloadFrom();
    int to = decoded.payloadTo();
    if (from < 0) {
      return null;
    }
    for (int i = from; i < to - 1; i++) {
      if (data[i] == '\\' && data[i + 1] == 'u') {
        return null;
      }
      if (data[i] == '\\') {
        i++; // an escaped character, perhaps a backslash: never the start of another escape
      }
    }
    return new String(data, from, to - from, StandardCharsets.UTF_8);
  }

  /** This batch followed by {@code next}; this one must have no poison event. */
  FetchedBatch then(FetchedBatch next) {
    List<Delivery> d = new ArrayList<>(deliveries.size() + next.deliveries.size());
    d.addAll(deliveries);
    d.addAll(next.deliveries);
    List<StoredEvent> g = new ArrayList<>(good.size() + next.good.size());
    g.addAll(good);
    g.addAll(next.good);
    Map<Long, String> rows = new HashMap<>(logRows);
    rows.putAll(next.logRows);
    return new FetchedBatch(d, g, rows, next.poison, next.poisonReason);
  }
}

package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.store.EventFeed.Delivery;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and decodes batches ahead of the projector, on a thread of its own, so that fetching and
 * decoding overlap with applying. Between fetches it lingers as {@link Batching} says, unless a
 * reader waits for an event it has not fetched. Stops at a poison event: nothing after it is
 * fetched. A failed fetch is retried; {@link #stop} or an interrupt ends it.
 */
final class Fetcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

  private final EventFeed.Subscription sub;
  private final BlockingQueue<FetchedBatch> ready;
  private final Batching batching;
  private final Watermark readers;
  private volatile boolean stopping;

  /**
   * @param readers where readers wait for their writes: the linger ends as soon as one waits for an
   *     event not fetched yet
   */
  Fetcher(
      EventFeed.Subscription sub,
      BlockingQueue<FetchedBatch> ready,
      Batching batching,
      Watermark readers) {
    this.sub = sub;
    this.ready = ready;
    this.batching = batching;
    this.readers = readers;
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    try {
      while (!stopping && !Thread.currentThread().isInterrupted()) {
        List<Delivery> got;
        try {
          got = sub.fetch(batching.size());
        } catch (RuntimeException e) {
          if (stopping) {
            return;
          }
          LOG.warn("fetch failed, retrying: {}", e.toString());
          Thread.sleep(500);
          continue;
        }
        if (got.isEmpty()) {
          continue;
        }
        FetchedBatch f = FetchedBatch.decode(got);
        ready.put(f);
        if (f.poison() != null) {
          return;
        }
        if (batching.lingersAfter(got.size())) {
          var unused = readers.awaitReaderBeyond(got.getLast().seq(), batching.linger());
        }
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }
}

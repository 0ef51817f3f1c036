package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jetmesh watch task|session|plan ID}: follows the live event stream and redraws where the
 * thing stands until it ends. Each event only says "look again": what is drawn always comes from
 * the read API, so a burst of events costs one redraw and a missed one costs nothing.
 */
@Command(
    name = "watch",
    description = {
      "Follow a task, a collaboration session or a plan live (GET /api/events) until it ends.",
      "Exit 0 when it ends well (task completed, session completed, plan completed with"
          + " success), 1 when it failed, was cancelled, released or aborted.",
      "With --json: its state as one line of JSON after each change."
    },
    footer = {
      "",
      "Examples:",
      "  jetmesh watch task hello",
      "  jetmesh watch session collab-review-1733390000000",
      "  jetmesh watch plan PLAN-release-1-1733390000000"
    })
final class WatchCommand extends ReadCommand {
  @Parameters(index = "0", paramLabel = "task|session|plan", description = "What to follow.")
  String kind;

  @Parameters(index = "1", paramLabel = "ID", description = "Its id.")
  String id;

  @Override
  public Integer call() throws InterruptedException {
    Progress view = Progress.of(kind);
    if (view == null) {
      throw new InvalidRequestException("watch what? task, session or plan, not " + kind);
    }
    Ids.require(view.word + " id", id);
    ReadApi api = api();
    Semaphore changed = new Semaphore(0);
    Screen screen = new Screen(!json() && style().color());
    boolean first = true;
    try (EventStream events = new EventStream(api, view.aggregate, id, changed::release)) {
      events.start();
      while (true) {
        JsonNode snapshot = first ? api.get(view.path + id, Map.of()) : again(api, view);
        first = false;
        // --json: one line of JSON per change, for a script to read line by line
        print(screen.draw(json() ? List.of(snapshot.toString()) : view.frame(snapshot, style())));
        Integer end = view.ended(snapshot);
        if (end != null) {
          return end;
        }
        changed.acquire();
        changed.drainPermits(); // one redraw for a burst of events
        if (events.failure() != null) {
          throw events.failure();
        }
      }
    }
  }

  /**
   * The state once more, riding out an orchestrator that restarts or is not ready: tries again for
   * {@link EventStream#GIVE_UP} before it gives up. (The first look is not retried: a watch of
   * something that cannot be reached at all fails at once.)
   */
  private JsonNode again(ReadApi api, Progress view) throws InterruptedException {
    long deadline = System.nanoTime() + EventStream.GIVE_UP.toNanos();
    long backoff = 200;
    while (true) {
      try {
        return api.get(view.path + id, Map.of());
      } catch (UnreachableException | RefusedException e) {
        if (Exit.of(e) != Exit.UNREACHABLE || System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(backoff); // a retry backoff, not a wait for a result
      backoff = Math.min(5000, backoff * 2);
    }
  }

  /**
   * Draws frames: on a terminal each replaces the last in place; elsewhere a frame is printed only
   * when it differs from the last one, so that a log of a watch reads as its changes.
   */
  static final class Screen {
    private final boolean terminal;
    private List<String> last = List.of();

    Screen(boolean terminal) {
      this.terminal = terminal;
    }

    String draw(List<String> frame) {
      if (frame.equals(last)) {
        return "";
      }
      StringBuilder sb = new StringBuilder();
      if (terminal && !last.isEmpty()) {
        sb.append("\r\033[").append(last.size()).append("A\033[J");
      }
      frame.forEach(l -> sb.append(l).append('\n'));
      last = List.copyOf(frame);
      return sb.toString();
    }
  }
}

package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.EventCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's live stream listens to every event type: the server names each server-sent event
 * by its type, and EventSource hands a named event only to a listener of that name, so a type
 * missing from {@code live.js} would never redraw the page.
 */
class DashboardLiveTypesTest {
  @Test
  void liveJs_listsExactlyTheCataloguesEventTypes() throws IOException {
    String live;
    try (InputStream in = DashboardFiles.class.getResourceAsStream("/dashboard/live.js")) {
      assertThat(in).isNotNull();
      live = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher list = Pattern.compile("EVENT_TYPES = \\[(.*?)]", Pattern.DOTALL).matcher(live);
    assertThat(list.find()).isTrue();
    Set<String> listed = new TreeSet<>();
    Matcher name = Pattern.compile("'([a-z_]+\\.[a-z_]+)'").matcher(list.group(1));
    while (name.find()) {
      listed.add(name.group(1));
    }
    assertThat(listed).isEqualTo(new TreeSet<>(EventCatalog.all().keySet()));
  }
}

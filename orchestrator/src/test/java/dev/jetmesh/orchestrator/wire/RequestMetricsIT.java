package dev.jetmesh.orchestrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The request timer's labels stay a fixed set whatever subjects clients make up: 600 requests on
 * hostile subjects (random operations, node-scoped subjects naming random nodes and operations,
 * subject-breaking ids) each get a coded error and add no time series.
 */
class RequestMetricsIT {
  @Test
  void hostileSubjects_neverBecomeNewTimeSeries() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestNats nats = TestNats.start();
        Connection server = Nats.connect(nats.url());
        Connection client = Nats.connect(nats.url());
        RequestRouter router = new RequestRouter(server, 64 * 1024, meters)) {
      router.route(Subjects.tasks("get"), body -> "served");
      router.start(Subjects.TASKS_ALL, Subjects.COLLAB_ALL, Subjects.PLANS_ALL);
      server.flush(Duration.ofSeconds(5));

      // one good request of each kind first: the series a healthy mesh has
      assertThat(ok(client, Subjects.tasks("get"))).isTrue();
      assertThat(ok(client, Subjects.asNode("w1", Subjects.tasks("get")))).isTrue();
      int before = series(meters).size();

      List<String> hostile = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String r = UUID.randomUUID().toString().replace("-", "");
        hostile.add("mesh.tasks." + r);
        hostile.add("mesh.collab." + r);
        hostile.add("mesh.plans." + r + "." + r + ".x");
        hostile.add("mesh.as." + r + ".tasks." + r);
        hostile.add("mesh.as." + r + ".plans.create"); // served plainly, never node-scoped
        hostile.add("mesh.as.bad%id" + i + ".tasks.get"); // not a valid node id
      }
      for (String s : hostile) {
        JsonNode reply = request(client, s);
        assertThat(reply.path("ok").asBoolean()).as(s).isFalse();
        assertThat(reply.path("code").asText()).as(s).isEqualTo("INVALID_REQUEST");
      }

      Set<String> labels = new TreeSet<>();
      for (Meter m : series(meters)) {
        labels.add(m.getId().getTag("subject"));
      }
      assertThat(labels).containsExactlyInAnyOrder("mesh.tasks.get", RequestRouter.UNKNOWN_ROUTE);
      assertThat(series(meters).size())
          .isLessThanOrEqualTo(before + 1); // + unknown/INVALID_REQUEST
      assertThat(meters.scrape()).doesNotContain("bad%id").doesNotContain(hostile.get(0));
    }
  }

  private static List<Meter> series(PrometheusMeterRegistry meters) {
    return meters.getMeters().stream()
        .filter(m -> m.getId().getName().equals(RequestRouter.METRIC))
        .toList();
  }

  private static boolean ok(Connection nc, String subject) throws Exception {
    return request(nc, subject).path("ok").asBoolean();
  }

  private static JsonNode request(Connection nc, String subject) throws Exception {
    Message m =
        nc.request(
            subject,
            "{\"task_id\":\"t1\"}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
    assertThat(m).as("reply on " + subject).isNotNull();
    return Json.mapper().readTree(m.getData());
  }
}

package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code MESH_API_TOKEN}: with it every route but {@code /health} needs the bearer token (the event
 * stream also takes {@code ?access_token=}) and the API serves every interface; without it the API
 * listens on loopback only and says so once, unless {@code MESH_HTTP_HOST} says otherwise.
 */
class HttpAuthIT {
  static final String TOKEN = "httpauthit-token-0123456789abcdef";
  static TestMesh mesh;
  static Http http;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of("MESH_API_TOKEN", TOKEN));
    http = new Http(mesh.orchestrator().httpPort());
  }

  @AfterAll
  static void down() {
    mesh.close();
  }

  @Test
  void withAToken_everyRouteButHealth_needsIt() {
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
    for (String path :
        List.of(
            "/ready",
            "/metrics",
            "/openapi.json",
            "/api/tasks",
            "/api/nodes",
            "/api/tasks/x/attempts/1/output",
            "/api/no/such/route")) {
      JsonNode p = ReadApiIT.problem(http.get(path), 401, path);
      assertThat(p.path("code").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(p.path("detail").asText()).contains("Authorization: Bearer");
      assertThat(http.get(path).headers().firstValue("www-authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    HttpResponse<String> wrong = http.get("/api/tasks", "Authorization", "Bearer " + TOKEN + "x");
    assertThat(ReadApiIT.problem(wrong, 401, "wrong").path("detail").asText())
        .isEqualTo("The token is not valid");
    assertThat(http.get("/api/tasks", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/api/tasks", "Authorization", "bearer " + TOKEN).statusCode())
        .as("the scheme is case-insensitive")
        .isEqualTo(200);
    assertThat(http.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theEventStream_alsoTakesTheTokenAsAQueryParameter_otherRoutesDoNot() throws Exception {
    try (SseReader s =
        SseReader.open(http.base() + "/api/events?aggregate=task&access_token=" + TOKEN)) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.nextComment(Duration.ofSeconds(10))).startsWith("stream from");
    }
    try (SseReader s = SseReader.open(http.base() + "/api/events?access_token=wrong-token")) {
      assertThat(s.status()).isEqualTo(401);
    }
    assertThat(http.get("/api/tasks?access_token=" + TOKEN).statusCode()).isEqualTo(401);
  }

  @Test
  void withAToken_theApiServesEveryInterface() throws Exception {
    assertThat(mesh.orchestrator().httpHost()).isEqualTo("0.0.0.0");
    Http outside = new Http(nonLoopback().getHostAddress(), mesh.orchestrator().httpPort());
    assertThat(outside.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAToken_theApiListensOnLoopbackOnly_andSaysSoOnce() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(HttpApi.class);
    log.start();
    logger.addAppender(log);
    try (Orchestrator open = second(Map.of())) {
      assertThat(open.httpHost()).isEqualTo("127.0.0.1");
      int port = open.httpPort();
      assertThat(new Http(port).get("/api/tasks").statusCode()).isEqualTo(200);
      InetAddress outside = nonLoopback();
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(outside, port), 2000);
                }
              })
          .isInstanceOf(ConnectException.class);
      List<String> lines =
          log.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("MESH_API_TOKEN"))
              .toList();
      assertThat(lines)
          .containsExactly(
              "MESH_API_TOKEN is not set: the HTTP API listens on 127.0.0.1 only (set"
                  + " MESH_API_TOKEN to serve other hosts)");
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void meshHttpHost_overridesTheBindAddress() throws Exception {
    try (Orchestrator o = second(Map.of("MESH_HTTP_HOST", "0.0.0.0"))) {
      assertThat(o.httpHost()).isEqualTo("0.0.0.0");
      Http outside = new Http(nonLoopback().getHostAddress(), o.httpPort());
      assertThat(outside.get("/api/tasks").statusCode()).isEqualTo(200);
    }
  }

  /** Another orchestrator on the same mesh (a standby: it serves reads), without the token. */
  static Orchestrator second(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(mesh.env());
    env.remove("MESH_API_TOKEN");
    env.putAll(extra);
    return Orchestrator.start(OrchestratorConfig.from(env));
  }

  /** An address of this machine that is not loopback. */
  static InetAddress nonLoopback() throws Exception {
    for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
      if (!i.isUp() || i.isLoopback()) {
        continue;
      }
      for (InetAddress a : i.inetAddresses().toList()) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    }
    throw new AssertionError("this test needs a network interface other than loopback");
  }
}

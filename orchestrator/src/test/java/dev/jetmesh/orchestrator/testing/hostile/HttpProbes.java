package dev.jetmesh.orchestrator.testing.hostile;

import static dev.jetmesh.orchestrator.testing.hostile.Mutations.pick;

import dev.jetmesh.orchestrator.testing.hostile.HostileFixtures.Known;
import dev.jetmesh.orchestrator.testing.hostile.Probe.Expect;
import dev.jetmesh.schema.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The HTTP half of the attack, on every route of the read API: ids in paths that are no ids or name
 * nothing, unknown, repeated and unparsable query parameters, forged cursors, methods the route
 * does not take, missing and wrong bearer tokens, bad {@code Last-Event-ID}s, query strings just
 * under and over what the server reads, and paths that are no route.
 */
final class HttpProbes {
  /** A route: its template (the label), its query parameters, its path id parameter if any. */
  record Route(String template, List<String> params, String validId) {
    boolean hasId() {
      return template.contains("{");
    }

    /** The route with {@code id} for its id, and attempt 1 where it names an attempt. */
    String path(String id) {
      return template.replace("{attempt}", "1").replaceAll("\\{[a-z_]+}", id);
    }
  }

  private static final Expect INVALID = Expect.code(ErrorCode.INVALID_REQUEST);
  private static final List<String> STATUSES = List.of("bogus", "RUNNING", "queued ", "%00", "ä");

  private final String token;
  private final List<WireProbes.Maker> makers = new ArrayList<>();

  private HttpProbes(String token) {
    this.token = token;
  }

  static List<Route> routes(Known k) {
    String task = k.heldTask();
    return List.of(
        new Route("/health", List.of(), ""),
        new Route("/ready", List.of(), ""),
        new Route("/metrics", List.of(), ""),
        new Route("/openapi.json", List.of(), ""),
        new Route("/api/events", List.of("aggregate", "id", "since", "access_token"), ""),
        new Route(
            "/api/tasks",
            List.of(
                "status", "owner", "tag", "plan", "session", "since", "order", "limit", "cursor"),
            ""),
        new Route("/api/tasks/{task_id}", List.of(), task),
        new Route("/api/tasks/{task_id}/events", List.of("limit", "cursor"), task),
        new Route("/api/tasks/{task_id}/attempts/{attempt}/output", List.of(), task),
        new Route(
            "/api/attempts",
            List.of("task", "provider", "model", "node", "outcome", "since", "limit", "cursor"),
            ""),
        new Route("/api/collab", List.of("status", "limit", "cursor"), ""),
        new Route("/api/collab/{session_id}", List.of(), k.sessionId()),
        new Route("/api/collab/{session_id}/timeline", List.of("limit", "cursor"), k.sessionId()),
        new Route("/api/collab/{session_id}/replay", List.of("format"), k.sessionId()),
        new Route("/api/plans", List.of("status", "parent_task_id", "limit", "cursor"), ""),
        new Route("/api/plans/{plan_id}", List.of(), k.pendingPlan()),
        new Route("/api/nodes", List.of("status", "limit", "cursor"), ""),
        new Route("/api/nodes/{node_id}", List.of(), k.joinedNode()));
  }

  static List<WireProbes.Maker> makers(Known k, String token) {
    HttpProbes h = new HttpProbes(token);
    routes(k).forEach(h::route);
    h.elsewhere();
    return List.copyOf(h.makers);
  }

  private void route(Route rt) {
    String ok = rt.path(rt.validId());
    get(
        rt,
        "unknown-param",
        INVALID,
        (i, r) ->
            ok
                + "?"
                + pick(
                    r,
                    List.of(
                        "bogus=1",
                        "STATUS=x",
                        "%00=1",
                        "a%20b=1",
                        "limit%00=1",
                        "__proto__=1",
                        "x=" + "y".repeat(5000))));
    add(
        rt,
        "wrong-method",
        INVALID,
        (i, r) -> new Req(pick(r, List.of("POST", "PUT", "DELETE", "PATCH")), ok, Map.of()));
    get(
        rt,
        "huge-query-under-limit",
        INVALID,
        (i, r) -> ok + "?bogus=" + "q".repeat(4000 + r.nextInt(2000)));
    get(
        rt,
        "huge-query-over-limit",
        INVALID,
        (i, r) -> ok + "?bogus=" + "q".repeat(9000 + r.nextInt(60_000)));
    if (!rt.template().equals("/health")) {
      add(
          rt,
          "bad-auth",
          Expect.code(ErrorCode.UNAUTHORIZED),
          (i, r) ->
              new Req(
                  "GET",
                  ok,
                  pick(
                      r,
                      List.of(
                          Map.of(),
                          Map.of("Authorization", "Bearer " + token + "x"),
                          Map.of("Authorization", "Bearer"),
                          Map.of("Authorization", "Basic " + token),
                          Map.of("Authorization", "Bearer " + "t".repeat(6000)),
                          Map.of("Authorization", "Bearer " + token.substring(1))))));
    }
    if (rt.hasId()) {
      get(rt, "bad-path-id", INVALID, (i, r) -> rt.path(encode(pick(r, pathIds()))));
      get(rt, "no-such-id", Expect.code(ErrorCode.NOT_FOUND), (i, r) -> rt.path("hx-missing-" + i));
    }
    for (String p : rt.params()) {
      get(rt, "bad-" + p, expectFor(p), (i, r) -> ok + "?" + p + "=" + encode(badValue(p, r)));
      get(rt, "repeated-" + p, INVALID, (i, r) -> ok + "?" + p + "=1&" + p + "=2");
    }
    if (rt.template().equals("/api/events")) {
      add(
          rt,
          "bad-last-event-id",
          INVALID,
          (i, r) ->
              new Req(
                  "GET",
                  ok,
                  Map.of(
                      "Last-Event-ID",
                      pick(
                          r,
                          List.of(
                              "abc",
                              "-1",
                              "1.5",
                              "99999999999999999999",
                              "0x10",
                              "1e3",
                              "NaN",
                              "+-1",
                              "1 2",
                              "--5")))));
      get(rt, "id-without-aggregate", INVALID, (i, r) -> ok + "?id=" + "hx-held");
    }
  }

  /** What a bad value of parameter {@code p} is refused with: a wrong token is 401. */
  private static Expect expectFor(String p) {
    return p.equals("access_token") ? Expect.code(ErrorCode.UNAUTHORIZED) : INVALID;
  }

  private static String badValue(String p, Random r) {
    return switch (p) {
      case "limit" -> pick(r, List.of("0", "-1", "501", "abc", "1.5", "99999999999", " 5", "0x10"));
      case "since" ->
          pick(
              r,
              List.of(
                  "yesterday",
                  "-1",
                  "2025-13-01T00:00:00Z",
                  "1e3",
                  "NaN",
                  "2025-01-01",
                  "99999999999999999999"));
      case "cursor" -> badCursor(r);
      case "status", "outcome", "aggregate", "format", "order" -> pick(r, STATUSES);
      case "tag", "provider", "model" -> "t".repeat(201 + r.nextInt(500));
      case "access_token" -> pick(r, List.of("x", "Bearer x", "t".repeat(300)));
      default -> pick(r, Mutations.BAD_IDS);
    };
  }

  /** Cursors no listing ever handed out. */
  private static String badCursor(Random r) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String json =
        pick(
            r,
            List.of(
                "[\"bogus\",1]",
                "[]",
                "{}",
                "[\"tasks\",{},[],null]",
                "1",
                "\"x\"",
                "[\"tasks\"",
                "[\"events\",\"x\",\"y\",\"z\",\"w\"]",
                "[null,1]"));
    return switch (r.nextInt(4)) {
      case 0 -> b64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
      case 1 -> pick(r, List.of("!!!", "%%%", "====", "a", "é", "\u0000", "../../etc"));
      case 2 -> b64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
      default -> "A".repeat(100 + r.nextInt(3000));
    };
  }

  private void elsewhere() {
    Route none = new Route("(no route)", List.of(), "");
    get(
        none,
        "unknown-route",
        Expect.code(ErrorCode.NOT_FOUND),
        (i, r) ->
            pick(
                r,
                List.of(
                    "/api/taskz",
                    "/api/tasks/hx-held/x/y",
                    "/api",
                    "/api/",
                    "/API/tasks",
                    "/api/tasks.json",
                    "/api/plans/hx-held/waves",
                    "/nope",
                    "/api/nodes/hx-joined/events",
                    "/health/x")));
    // The dashboard's files are served by name from a list: nothing else of the jar, nor of the
    // disk, whatever the path says (since 2026-12-07).
    Route dashboard = new Route("/dashboard/{file}", List.of(), "");
    get(
        dashboard,
        "dashboard-path",
        Expect.code(ErrorCode.NOT_FOUND),
        (i, r) ->
            "/dashboard/"
                + pick(
                    r,
                    List.of(
                        "..%2F..%2F..%2Fetc%2Fpasswd",
                        "%2e%2e%2fMETA-INF%2fMANIFEST.MF",
                        "%252e%252e%252fapp.js",
                        "..%5C..%5Capp.js",
                        "index.html",
                        "API.JS",
                        "app.js.map",
                        "app.js%20",
                        "..",
                        "...",
                        "%2e",
                        "app.js;jsessionid=1",
                        "dashboard%2Fapp.js",
                        "logback.xml",
                        "db%2Fmigration%2FV1__tasks_and_projection.sql")));
    // A NUL is refused before any route sees the path.
    get(
        dashboard,
        "dashboard-path-nul",
        INVALID,
        (i, r) -> "/dashboard/" + pick(r, List.of("app.js%00.png", "%00", "index%00.html")));
  }

  /** Path ids that are no ids; dot segments and slashes are left to the path rules. */
  private static List<String> pathIds() {
    return Mutations.BAD_IDS.stream()
        .filter(s -> !s.equals(".") && !s.equals("..") && !s.contains("/"))
        .toList();
  }

  private void get(Route rt, String category, Expect e, Path path) {
    add(rt, category, e, (i, r) -> new Req("GET", path.make(i, r), Map.of()));
  }

  private void add(Route rt, String category, Expect e, Request req) {
    makers.add(
        (i, r) -> {
          Req q = req.make(i, r);
          Map<String, String> headers = new java.util.LinkedHashMap<>();
          if (!category.equals("bad-auth") && !category.equals("bad-access_token")) {
            headers.put("Authorization", "Bearer " + token);
          }
          headers.putAll(q.headers());
          return new Probe.Http(
              "GET " + rt.template(), category, q.method(), q.path(), Map.copyOf(headers), e);
        });
  }

  /** Percent-encodes everything but unreserved characters (so {@code +} is no space). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private record Req(String method, String path, Map<String, String> headers) {}

  @FunctionalInterface
  private interface Path {
    String make(int i, Random r);
  }

  @FunctionalInterface
  private interface Request {
    Req make(int i, Random r);
  }
}

package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jetmesh cds-training} (hidden): the run {@code bin/jetmesh} records its class-data sharing
 * archive from. It goes through what the client commands load, without a mesh: every command's
 * help, a table and a JSON answer rendered, a YAML file parsed, and one HTTP and one NATS
 * connection refused at once by a port that nothing listens on. Prints nothing.
 */
@Command(
    name = "cds-training",
    hidden = true,
    description = "Load what the client commands load, for bin/jetmesh's class-data archive.",
    footer = {"", "Example:", "  jetmesh cds-training"})
final class CdsTraining extends CliCommand {
  private static final String SAMPLE =
      """
      {"items":[{"task_id":"t1","title":"T","status":"completed","owner":"n1","attempts":1,
      "cost_usd":0.0123,"updated_at":"2025-01-01T00:00:00Z","tags":["a"]}],"next_cursor":null}
      """;

  @Override
  public Integer call() throws IOException {
    StringWriter sink = new StringWriter();
    PrintWriter w = new PrintWriter(sink);
    Main.everyCommand(spec.root().commandLine(), c -> c.usage(w, CommandLine.Help.Ansi.OFF));
    JsonNode page = CliJson.mapper().readTree(SAMPLE);
    Output.json(w, page);
    Style s = new Style(true);
    Table t = new Table(Table.Column.left("TASK"), Table.Column.status("STATUS"));
    page.path("items").forEach(x -> t.row(Fmt.text(x.path("task_id")), Fmt.text(x.path("status"))));
    w.print(
        t.render(s) + new Fields().add("cost", Fmt.money(page.at("/items/0/cost_usd"))).render(s));
    w.print(Fmt.time(page.at("/items/0/updated_at")) + Fmt.duration(page.at("/items/0/attempts")));
    SpecFile.parse("task.yaml", "title: T\ntags: [a]\n");
    try {
      new ReadApi("http://127.0.0.1:1", null).get("/api/tasks", Map.of("limit", 1));
    } catch (RuntimeException e) {
      w.print(e.getMessage());
    }
    try {
      Nats.connect(
              Options.builder()
                  .server("nats://127.0.0.1:1")
                  .connectionTimeout(Duration.ofMillis(200))
                  .errorListener(new io.nats.client.ErrorListener() {})
                  .build())
          .close();
    } catch (IOException | RuntimeException e) {
      w.print(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    w.flush();
    return Exit.OK;
  }
}

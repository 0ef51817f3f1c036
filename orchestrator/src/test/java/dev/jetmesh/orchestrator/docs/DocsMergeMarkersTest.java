package dev.jetmesh.orchestrator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Given every Markdown page of the repository, then none holds a merge's conflict markers: one
 * merged by hand once left both sides of a paragraph in operations.md, markers included, and no
 * other test reads that paragraph.
 */
class DocsMergeMarkersTest {
  private static final Pattern MARKER = Pattern.compile("^(<{7}|>{7})( .*)?$|^={7}$");

  @Test
  void noPage_holdsConflictMarkers() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("../README.md")));
    try (Stream<Path> docs = Files.walk(Path.of("../docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    assertThat(pages).hasSizeGreaterThan(5);
    List<String> found = new ArrayList<>();
    for (Path page : pages) {
      List<String> lines = Files.readAllLines(page);
      for (int i = 0; i < lines.size(); i++) {
        if (MARKER.matcher(lines.get(i)).matches()) {
          found.add(page + ":" + (i + 1) + ": " + lines.get(i));
        }
      }
    }
    assertThat(found).isEmpty();
  }
}

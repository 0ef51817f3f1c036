package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
  @Test
  void aCursor_givesBackItsKeys_exactly() {
    Instant at = Instant.parse("2025-01-31T12:00:00.123456Z");
    Cursor.Position p = Cursor.decode("tasks", Cursor.encode("tasks", 7, at, 42L), 3);
    assertThat(p.number(0)).isEqualTo(7);
    assertThat(p.instant(1)).isEqualTo(at);
    assertThat(p.number(2)).isEqualTo(42);
  }

  @Test
  void aCursor_isRefused_byAnotherListing_orWithOtherKeys_orWhenForged() {
    String tasks = Cursor.encode("tasks", 7, Instant.EPOCH, 42L);
    String forged =
        Base64.getUrlEncoder()
            .encodeToString("[\"tasks\",{\"x\":1},2,3]".getBytes(StandardCharsets.UTF_8));
    for (String bad :
        List.of(
            tasks + "x", "not base64!", "", forged, Cursor.encode("tasks", "7", "later", 42L))) {
      assertThatThrownBy(
              () -> {
                Cursor.Position p = Cursor.decode("tasks", bad, 3);
                p.number(0);
                p.instant(1);
              })
          .as(bad)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("Invalid cursor: pass the next_cursor of the previous page of this listing");
    }
    assertThatThrownBy(() -> Cursor.decode("attempts", tasks, 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Cursor.decode("tasks", tasks, 2))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aPage_hasACursorAfterItsLastRow_onlyWhenThereIsMore() {
    List<Page.Keyed<String>> three =
        List.of(
            new Page.Keyed<>("a", "ca"), new Page.Keyed<>("b", "cb"), new Page.Keyed<>("c", "cc"));
    Page<String> more = Page.of(three, 2);
    assertThat(more.items()).containsExactly("a", "b");
    assertThat(more.nextCursor()).isEqualTo("cb");
    Page<String> last = Page.of(three, 3);
    assertThat(last.items()).containsExactly("a", "b", "c");
    assertThat(last.nextCursor()).isNull();
  }
}

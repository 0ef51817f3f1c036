package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The table renderer: aligned columns, cut cells, colors that never shift a column. */
class TableTest {
  private static Table tasks() {
    return new Table(
            Table.Column.left("TASK"),
            Table.Column.status("STATUS"),
            Table.Column.wrapAt("TITLE", 10),
            Table.Column.right("COST"))
        .row("hello", "completed", "Say hello", "$0.01")
        .row("a-much-longer-id", "failed", "A title that is far too long", "$12.50")
        .row("x", null, "", null);
  }

  @Test
  void plain_alignsColumns_twoSpacesApart_rightAlignsNumbers_andCutsLongCells() {
    assertThat(tasks().render(Style.PLAIN))
        .isEqualTo(
            """
            TASK              STATUS     TITLE         COST
            hello             completed  Say hello    $0.01
            a-much-longer-id  failed     A title t…  $12.50
            x                 -          -                -
            """);
  }

  @Test
  void plain_hasNoEscapeCodes_andNoTrailingSpaces() {
    String out = tasks().render(Style.PLAIN);
    assertThat(out).doesNotContain("\033");
    assertThat(out.lines()).allSatisfy(l -> assertThat(l).isEqualTo(l.stripTrailing()));
  }

  @Test
  void color_boldsTheHeader_colorsStatuses_andKeepsTheColumnsWhereThePlainOnesAre() {
    String colored = tasks().render(new Style(true));
    assertThat(colored).contains("\033[1mTASK\033[0m");
    assertThat(colored).contains("\033[32mcompleted\033[0m");
    assertThat(colored).contains("\033[31mfailed\033[0m");
    String stripped = colored.replaceAll("\033\\[[0-9;]*m", "");
    assertThat(stripped).isEqualTo(tasks().render(Style.PLAIN));
  }

  @Test
  void widths_countCodePoints_notChars() {
    String out =
        new Table(Table.Column.left("A"), Table.Column.left("B"))
            .row("🙂🙂", "x")
            .row("ab", "y")
            .render(Style.PLAIN);
    assertThat(out).isEqualTo("A   B\n🙂🙂  x\nab  y\n");
  }

  @Test
  void cut_keepsShortText_andEndsCutTextWithAnEllipsis() {
    assertThat(Table.cut("short", 10)).isEqualTo("short");
    assertThat(Table.cut("exactly10!", 10)).isEqualTo("exactly10!");
    assertThat(Table.cut("eleven char", 10)).isEqualTo("eleven ch…");
    assertThat(Table.cut("anything", 0)).isEqualTo("anything");
  }

  @Test
  void aRowWithTheWrongNumberOfCells_isABug() {
    assertThatThrownBy(() -> new Table(Table.Column.left("A")).row("1", "2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyTable_isItsHeader() {
    assertThat(
            new Table(Table.Column.left("NODE"), Table.Column.left("STATUS")).render(Style.PLAIN))
        .isEqualTo("NODE  STATUS\n");
  }
}

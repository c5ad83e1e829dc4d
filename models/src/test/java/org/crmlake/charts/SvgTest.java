package org.crmlake.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgTest {
    @Test
    void axisTopsAreRoundNumbersAtOrAboveTheMaximum() {
        assertThat(Svg.niceMax(0)).isEqualTo(1);
        assertThat(Svg.niceMax(Double.NaN)).isEqualTo(1);
        assertThat(Svg.niceMax(7)).isEqualTo(10);
        assertThat(Svg.niceMax(1_267)).isEqualTo(2_000);
        assertThat(Svg.niceMax(0.31)).isEqualTo(0.5);
        assertThat(Svg.niceMax(500)).isEqualTo(500);
    }

    @Test
    void barsEscapeLabelsAndCarryTheValueInATooltip() {
        String svg = Svg.bars("Sizes <by> segment", List.of("a&b", "zero"), Arrays.asList(3.0, null), "%.0f");
        assertThat(svg)
                .startsWith("<figure><svg class=\"chart\"")
                .contains("aria-label=\"Sizes &lt;by&gt; segment\"", "<title>a&amp;b: 3</title>", "<title>zero: 0</title>")
                .endsWith("<figcaption>Sizes &lt;by&gt; segment</figcaption></figure>");
    }

    @Test
    void linesLeaveGapsAndMarkFewPointsSoOneDateStillShows() {
        String svg = Svg.lines("Trend", List.of("d1"), List.of(new Svg.Series("s", List.of(5.0))), "n");
        assertThat(svg).contains("<circle", "<title>s d1: 5</title>");
        String gaps = Svg.lines("Trend", List.of("d1", "d2", "d3"),
                List.of(new Svg.Series("x", Arrays.asList(1.0, null, 3.0)), new Svg.Series("y", List.of(2.0, 2.0, 2.0))), "n");
        assertThat(gaps.split("<circle", -1)).hasSize(6); // 2 + 3 points, the gap drawn as none
        assertThat(gaps).contains(">x</text>", ">y</text>"); // a legend for several lines
    }
}

package org.crmlake.charts;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline SVG charts for the HTML reports (model reports, the run report): no scripts, no
 * external files, so a report is one file that opens anywhere. Every chart is a {@code <figure>}
 * holding one {@code <svg class="chart">} with a caption, and every mark carries a {@code <title>}
 * so hovering shows its exact value.
 */
public final class Svg {
    /** A named series of values; {@code null} values leave a gap. */
    public record Series(String name, List<Double> values) {}

    /** A named series of (x, y) points, both in [0, 1]. */
    public record Curve(String name, List<double[]> points) {}

    private static final String[] COLOURS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf", "#393b79", "#637939"
    };
    private static final int WIDTH = 480;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int BOTTOM = 36;
    private static final int TOP = 12;
    private static final int MARKED_POINTS = 40;

    private Svg() {}

    /** One horizontal bar per label, longest value full width, the value printed at the bar's end. */
    public static String bars(String title, List<String> labels, List<Double> values, String valueFormat) {
        int row = 22;
        int labelWidth = 190;
        double max = values.stream().mapToDouble(v -> v == null ? 0 : v).max().orElse(0);
        StringBuilder s = open(title, WIDTH, Math.max(row * labels.size(), row) + 4);
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i) == null ? 0 : values.get(i);
            double w = max > 0 ? v / max * (WIDTH - labelWidth - 80) : 0;
            String text = f(valueFormat, v);
            s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelWidth - 6, i * row + 16, escape(labels.get(i))));
            s.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"15\" fill=\"%s\"><title>%s: %s</title></rect>",
                    labelWidth, i * row + 4, w, COLOURS[0], escape(labels.get(i)), text));
            s.append(f("<text x=\"%.1f\" y=\"%d\">%s</text>", labelWidth + w + 4, i * row + 16, text));
        }
        return close(s, title);
    }

    /** Vertical bars over categories (a histogram, lift by decile, funnel stages), y from zero. */
    public static String columns(String title, List<String> labels, List<Double> values, String xLabel, String yLabel) {
        double max = niceMax(values.stream().mapToDouble(v -> v == null ? 0 : v).max().orElse(0));
        StringBuilder s = open(title, WIDTH, HEIGHT);
        axes(s, max, xLabel, yLabel);
        double slot = (double) plotWidth() / Math.max(labels.size(), 1);
        int every = Math.max(1, (int) Math.ceil(labels.size() / 12.0));
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i) == null ? 0 : values.get(i);
            double h = v / max * plotHeight();
            double x = LEFT + i * slot + slot * 0.1;
            s.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
                    x, TOP + plotHeight() - h, slot * 0.8, h, COLOURS[0], escape(labels.get(i)), number(v)));
            if (i % every == 0) {
                s.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                        x + slot * 0.4, TOP + plotHeight() + 14, escape(labels.get(i))));
            }
        }
        return close(s, title);
    }

    /** Lines over shared categories (dates), y from zero, with a legend when there are several. */
    public static String lines(String title, List<String> labels, List<Series> series, String yLabel) {
        double max = niceMax(series.stream().flatMap(x -> x.values().stream())
                .mapToDouble(v -> v == null ? 0 : v).max().orElse(0));
        int legendRows = series.size() > 1 ? (series.size() + 1) / 2 : 0;
        StringBuilder s = open(title, WIDTH, HEIGHT + legendRows * 16);
        axes(s, max, null, yLabel);
        double step = labels.size() > 1 ? (double) plotWidth() / (labels.size() - 1) : 0;
        int every = Math.max(1, (int) Math.ceil(labels.size() / 4.0));
        for (int i = 0; i < labels.size(); i += every) {
            s.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + i * step, TOP + plotHeight() + 14,
                    escape(labels.get(i))));
        }
        for (int k = 0; k < series.size(); k++) {
            Series line = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.values().size() && i < labels.size(); i++) {
                Double v = line.values().get(i);
                if (v != null) {
                    double x = LEFT + i * step;
                    double y = TOP + plotHeight() - v / max * plotHeight();
                    points.append(f("%.1f,%.1f ", x, y));
                    if (labels.size() <= MARKED_POINTS) { // few points: mark each, so even one date shows
                        s.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s: %s</title></circle>",
                                x, y, colour, escape(line.name()), escape(labels.get(i)), number(v)));
                    }
                }
            }
            s.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>%s</title></polyline>",
                    points.toString().strip(), colour, escape(line.name())));
            if (legendRows > 0) {
                int x = LEFT + (k % 2) * 210;
                int y = HEIGHT + (k / 2) * 16;
                s.append(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                        x, y - 9, colour, x + 14, y, escape(line.name())));
            }
        }
        return close(s, title);
    }

    /** Curves on the unit square with the dashed diagonal (calibration, cumulative gains). */
    public static String unitCurves(String title, List<Curve> curves, String xLabel, String yLabel) {
        int size = 260;
        int pad = 40;
        StringBuilder s = open(title, size + pad + 10, size + pad + 10);
        s.append(f("<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>", pad, size, size));
        s.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"10\" stroke=\"#999\" stroke-dasharray=\"4\"/>", pad, size + 10, pad + size));
        s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", pad + size / 2, size + 40, escape(xLabel)));
        s.append(f("<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>",
                10 + size / 2, 10 + size / 2, escape(yLabel)));
        s.append(f("<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">1</text>"
                + "<text x=\"%d\" y=\"18\" text-anchor=\"end\">1</text>", pad - 4, size + 24, pad + size, size + 24, pad - 4));
        for (int k = 0; k < curves.size(); k++) {
            StringBuilder points = new StringBuilder();
            for (double[] p : curves.get(k).points()) {
                points.append(f("%.1f,%.1f ", pad + p[0] * size, 10 + (1 - p[1]) * size));
            }
            s.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>%s</title></polyline>",
                    points.toString().strip(), COLOURS[k % COLOURS.length], escape(curves.get(k).name())));
        }
        return close(s, title);
    }

    /** Text safe inside HTML elements and attributes. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static StringBuilder open(String title, int width, int height) {
        return new StringBuilder(f("<figure><svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                + "aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height, escape(title)));
    }

    private static String close(StringBuilder s, String title) {
        return s.append("</svg><figcaption>").append(escape(title)).append("</figcaption></figure>").toString();
    }

    private static void axes(StringBuilder s, double max, String xLabel, String yLabel) {
        int bottom = TOP + plotHeight();
        s.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", LEFT, bottom, LEFT + plotWidth(), bottom));
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double y = bottom - plotHeight() * i / 4.0;
            s.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", LEFT, y, LEFT + plotWidth(), y));
            s.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, y + 4, number(v)));
        }
        if (xLabel != null) {
            s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotWidth() / 2, HEIGHT - 4, escape(xLabel)));
        }
        if (yLabel != null) {
            s.append(f("<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>",
                    TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(yLabel)));
        }
    }

    private static int plotWidth() {
        return WIDTH - LEFT - 12;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** The axis top: the maximum rounded up to 1, 2 or 5 times a power of ten. */
    static double niceMax(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= max) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return f("%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? f("%,.0f", v) : f("%.3g", v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Series by name in insertion order, for callers that build them in a map. */
    public static List<Series> series(Map<String, List<Double>> byName) {
        return byName.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue())).toList();
    }
}

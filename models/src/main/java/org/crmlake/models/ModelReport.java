package org.crmlake.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmlake.charts.Svg;

/** Human-readable evaluation reports: aligned console text, a self-contained HTML page, a comparison table. */
public final class ModelReport {

    private static final int TOP_FEATURES = 10;

    private ModelReport() {}

    public static String text(
            String title, Evaluation eval, Map<String, Double> importance, Double oracleAuc) {
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n').append("=".repeat(title.length())).append('\n');
        out.append(f("rows %d, positive rate %.4f%n", eval.rows(), eval.positiveRate()));
        out.append(
                f(
                        "ROC AUC %.4f   PR AUC %.4f   Brier %.4f   log loss %.4f%n",
                        eval.rocAuc(), eval.prAuc(), eval.brier(), eval.logLoss()));
        if (oracleAuc != null) {
            out.append(f("oracle AUC %.4f, gap %.4f%n", oracleAuc, oracleAuc - eval.rocAuc()));
        }
        out.append(
                f(
                        "%nCalibration (expected error %.3f, largest gap %.3f)%n",
                        eval.calibrationError(),
                        eval.maxCalibrationGap()));
        out.append(
                f("%-13s %7s %10s %9s %7s%n", "predicted", "rows", "mean pred", "observed", "gap"));
        for (CalibrationBin b : eval.calibration()) {
            out.append(
                    f(
                            "%.1f – %.1f %9d %10.3f %9.3f %7.3f%n",
                            b.lower(),
                            b.upper(),
                            b.count(),
                            b.meanPredicted(),
                            b.observedRate(),
                            b.gap()));
        }
        out.append(f("%nDeciles (1 = highest scores)%n"));
        out.append(
                f(
                        "%-6s %7s %10s %9s %6s %9s%n",
                        "decile", "rows", "mean score", "pos rate", "lift", "cum gain"));
        for (DecileRow d : eval.deciles()) {
            out.append(
                    f(
                            "%-6d %7d %10.3f %9.3f %6.2f %9.3f%n",
                            d.decile(),
                            d.count(),
                            d.meanScore(),
                            d.positiveRate(),
                            d.lift(),
                            d.cumulativeGain()));
        }
        out.append(f("%nTop features%n"));
        int width =
                importance.keySet().stream()
                        .limit(TOP_FEATURES)
                        .mapToInt(String::length)
                        .max()
                        .orElse(7);
        importance.entrySet().stream()
                .limit(TOP_FEATURES)
                .forEach(e -> out.append(f("%-" + width + "s %6.3f%n", e.getKey(), e.getValue())));
        return out.toString();
    }

    /** One row per algorithm, best AUC first, so a person can pick at a glance. */
    public static String comparison(Map<String, Evaluation> byAlgorithm, Double oracleAuc) {
        int width =
                Math.max(9, byAlgorithm.keySet().stream().mapToInt(String::length).max().orElse(9));
        StringBuilder out = new StringBuilder();
        out.append(
                f(
                        "%-" + width + "s %8s %8s %8s %9s %8s %6s%s%n",
                        "algorithm",
                        "ROC AUC",
                        "PR AUC",
                        "Brier",
                        "log loss",
                        "cal err",
                        "lift",
                        oracleAuc == null ? "" : "  oracle gap"));
        byAlgorithm.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().rocAuc(), a.getValue().rocAuc()))
                .forEach(
                        e -> {
                            Evaluation v = e.getValue();
                            out.append(
                                    f(
                                            "%-"
                                                    + width
                                                    + "s %8.4f %8.4f %8.4f %9.4f %8.3f %6.2f%s%n",
                                            e.getKey(),
                                            v.rocAuc(),
                                            v.prAuc(),
                                            v.brier(),
                                            v.logLoss(),
                                            v.calibrationError(),
                                            v.topDecileLift(),
                                            oracleAuc == null
                                                    ? ""
                                                    : f("  %10.4f", oracleAuc - v.rocAuc())));
                        });
        if (oracleAuc != null) {
            out.append(
                    f(
                            "oracle AUC %.4f (the true probabilities' AUC on the same rows, knowing the future churn dates)%n",
                            oracleAuc));
        }
        return out.toString();
    }

    /** The same content as {@link #text} as one HTML page with inline SVG charts; no scripts or external files. */
    public static String html(
            String title, Evaluation eval, Map<String, Double> importance, Double oracleAuc) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append(
                        "</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                                + "table{border-collapse:collapse}td,th{padding:.2em .6em;text-align:right;border-bottom:1px solid #ddd}"
                                + "svg{background:#fafafa;margin:.5em 1em .5em 0}</style></head><body>");
        h.append("<h1>").append(escape(title)).append("</h1><p>");
        h.append(
                f(
                        "%d rows, positive rate %.4f<br>ROC AUC <b>%.4f</b>, PR AUC %.4f, Brier %.4f, log loss %.4f",
                        eval.rows(),
                        eval.positiveRate(),
                        eval.rocAuc(),
                        eval.prAuc(),
                        eval.brier(),
                        eval.logLoss()));
        if (oracleAuc != null) {
            h.append(f("<br>oracle AUC %.4f, gap %.4f", oracleAuc, oracleAuc - eval.rocAuc()));
        }
        h.append("</p><h2>Calibration</h2>").append(calibrationChart(eval.calibration()));
        h.append(
                "<table><tr><th>predicted</th><th>rows</th><th>mean predicted</th><th>observed</th><th>gap</th></tr>");
        for (CalibrationBin b : eval.calibration()) {
            h.append(
                    f(
                            "<tr><td>%.1f – %.1f</td><td>%d</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                            b.lower(),
                            b.upper(),
                            b.count(),
                            b.meanPredicted(),
                            b.observedRate(),
                            b.gap()));
        }
        h.append("</table><h2>Deciles and cumulative gains</h2>")
                .append(gainsChart(eval.deciles()));
        h.append(
                "<table><tr><th>decile</th><th>rows</th><th>mean score</th><th>positive rate</th><th>lift</th><th>cumulative gain</th></tr>");
        for (DecileRow d : eval.deciles()) {
            h.append(
                    f(
                            "<tr><td>%d</td><td>%d</td><td>%.3f</td><td>%.3f</td><td>%.2f</td><td>%.3f</td></tr>",
                            d.decile(),
                            d.count(),
                            d.meanScore(),
                            d.positiveRate(),
                            d.lift(),
                            d.cumulativeGain()));
        }
        h.append("</table><h2>Top features</h2>").append(importanceChart(importance));
        return h.append("</body></html>\n").toString();
    }

    /** Mean predicted (x) against observed rate (y) per bin, with the diagonal of perfect calibration. */
    private static String calibrationChart(List<CalibrationBin> bins) {
        List<double[]> points =
                bins.stream().map(b -> new double[] {b.meanPredicted(), b.observedRate()}).toList();
        return Svg.unitCurves(
                "Calibration curve", List.of(new Svg.Curve("observed rate", points)), "mean predicted", "observed rate");
    }

    /** Share of positives captured (y) by share of rows contacted (x), against the random line. */
    private static String gainsChart(List<DecileRow> deciles) {
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        deciles.forEach(d -> points.add(new double[] {d.decile() / 10.0, d.cumulativeGain()}));
        return Svg.unitCurves(
                "Cumulative gains", List.of(new Svg.Curve("model", points)), "share of rows contacted", "share of positives found");
    }

    private static String importanceChart(Map<String, Double> importance) {
        List<Map.Entry<String, Double>> top =
                importance.entrySet().stream().limit(TOP_FEATURES).toList();
        return Svg.bars(
                "Feature importance",
                top.stream().map(Map.Entry::getKey).toList(),
                top.stream().map(Map.Entry::getValue).toList(),
                "%.3f");
    }

    private static String escape(String s) {
        return Svg.escape(s);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

package org.crmlake.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmlake.charts.Svg;

/**
 * The HTML run report a publish writes beside the warehouse: data quality per source, segment sizes,
 * score distributions, model lift and calibration, the funnel, KPIs and alerts, with inline SVG
 * charts. It is read from the DuckDB file being published, so it shows exactly what analysts see.
 * One self-contained file (no external scripts or styles); a small inline script only makes tables
 * sortable.
 */
final class RunReport {
    static final String HISTORY_DIR = "reports";
    private static final int TREND_DAYS = 90;

    private final Connection db;
    private final LocalDate date;
    private final StringBuilder html = new StringBuilder();

    private RunReport(Connection db, LocalDate date) {
        this.db = db;
        this.date = date;
    }

    /** The report page for a date, read from the warehouse being published. */
    static String render(Connection db, LocalDate date, Map<String, Long> tableRows) throws SQLException {
        return new RunReport(db, date).render(tableRows);
    }

    /** Writes {@code reports/report-<date>.html} and {@code report.html} in {@code dir}, each atomically. */
    static Path write(String page, LocalDate date, Path dir) throws IOException {
        Path dated = dir.resolve(HISTORY_DIR).resolve("report-" + date + ".html");
        Files.createDirectories(dated.getParent());
        writeAtomically(dated, page);
        writeAtomically(dir.resolve(WarehouseLocation.REPORT_NAME), page);
        return dated;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".report-", ".tmp");
        try {
            Files.writeString(temp, content);
            readableByAll(temp); // temp files are owner-only; a report is for everyone who reads the warehouse
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }

    private String render(Map<String, Long> tableRows) throws SQLException {
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>CRM run report ").append(date).append("</title><style>").append(STYLE).append("</style></head><body>")
                .append("<h1>CRM run report for ").append(date).append("</h1>")
                .append(f("<p class=\"muted\">Published %s from the warehouse analysts query. Hover a bar or line for its value; "
                        + "click a column heading to sort a table.</p>", Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        html.append("<nav>").append(String.join(" · ", List.of(link("glance", "At a glance"), link("quality", "Data quality"),
                link("segments", "Segments"), link("scores", "Scores"), link("models", "Models"), link("funnel", "Funnel"),
                link("kpis", "KPIs"), link("alerts", "Alerts"), link("tables", "Tables")))).append("</nav>");
        glance();
        quality();
        segments();
        scores();
        models();
        funnel();
        kpis();
        alerts();
        section("tables", "Published tables");
        List<List<Object>> counts = new ArrayList<>();
        tableRows.forEach((t, n) -> counts.add(List.of(t, n)));
        table(List.of("table", "rows"), counts);
        html.append("<script>").append(SCRIPT).append("</script></body></html>\n");
        return html.toString();
    }

    private void glance() throws SQLException {
        section("glance", "At a glance");
        List<Object> kpi = one("select customers, orders, revenue, active_customers, churned_customers, ticket_backlog "
                + "from kpi_daily where as_of_date = ? and region = 'all'", date);
        List<Object> alerts = one("select count(*) from alerts where as_of_date = ?", date);
        List<Object> quarantined = one("select coalesce(sum(rows_in), 0), coalesce(sum(rows_quarantined), 0) "
                + "from ingest_log where batch_date = ?", date);
        html.append("<div class=\"cards\">");
        card("customers", kpi == null ? null : kpi.get(0));
        card("orders on the date", kpi == null ? null : kpi.get(1));
        card("revenue on the date", kpi == null ? null : kpi.get(2));
        card("active customers", kpi == null ? null : kpi.get(3));
        card("churned customers", kpi == null ? null : kpi.get(4));
        card("open tickets", kpi == null ? null : kpi.get(5));
        card("records ingested", quarantined.get(0));
        card("records quarantined", quarantined.get(1));
        card("alerts", alerts.get(0));
        html.append("</div>");
    }

    private void quality() throws SQLException {
        section("quality", "Data quality by source");
        List<List<Object>> ingest = rows("select source, count(*) as files, sum(rows_in), sum(rows_kept), sum(rows_quarantined), "
                + "round(sum(rows_quarantined) / greatest(sum(rows_in), 1), 4) from ingest_log where batch_date = ? "
                + "group by source order by source", date);
        if (ingest.isEmpty()) {
            note("No source delivered a batch for " + date + ".");
        } else {
            html.append(Svg.bars("Share of the date's records quarantined, by source", column(ingest, 0),
                    doubles(ingest, 5).stream().map(v -> v * 100).toList(), "%.2f %%"));
            table(List.of("source", "files", "rows in", "kept", "quarantined", "share quarantined"), ingest);
        }
        List<List<Object>> checks = rows("select source, count(*) as checks, count(*) filter (where passed) as passed, "
                + "count(*) filter (where not passed) as failed, round(min(value), 4) as lowest_share from dq_results "
                + "where batch_date = ? and threshold is not null group by source order by source", date);
        if (!checks.isEmpty()) {
            html.append(Svg.bars("Data-quality checks passed, by source (%)", column(checks, 0),
                    checks.stream().map(r -> 100.0 * ((Number) r.get(2)).doubleValue() / ((Number) r.get(1)).doubleValue()).toList(),
                    "%.1f %%"));
            table(List.of("source", "checks", "passed", "failed", "lowest share"), checks);
        }
        List<List<Object>> failed = rows("select source, entity, field, metric, round(value, 4), threshold, rows from dq_results "
                + "where batch_date = ? and not passed order by source, entity, field, metric", date);
        if (failed.isEmpty()) {
            note(checks.isEmpty() ? "No data-quality checks ran for " + date + "." : "Every data-quality check passed.");
        } else {
            html.append("<h3>Failed checks</h3>");
            table(List.of("source", "entity", "field", "metric", "value", "threshold", "rows"), failed);
        }
    }

    private void segments() throws SQLException {
        section("segments", "Segments");
        // From the segments table, not the segment_sizes view: a publish with its own --views may lack it.
        List<List<Object>> sizes = rows("""
                with sizes as (
                    select as_of_date, segment, owner, members,
                           members - lag(members) over (partition by segment order by as_of_date) as members_change
                    from segments
                    where as_of_date <= ?
                )
                select segment, members, members_change, owner from sizes
                where as_of_date = ? order by members desc, segment""", date, date);
        if (sizes.isEmpty()) {
            note("No segments were built for " + date + ".");
            return;
        }
        html.append(Svg.bars("Members per segment on " + date, column(sizes, 0), doubles(sizes, 1), "%,.0f"));
        table(List.of("segment", "members", "change since the previous date", "owner"), sizes);
        List<List<Object>> trend = rows("select as_of_date, segment, members from segments where as_of_date between ? and ? "
                + "order by as_of_date, segment", date.minusDays(TREND_DAYS), date);
        html.append(trendChart("Segment sizes over the last " + TREND_DAYS + " days", trend, "members"));
    }

    private void scores() throws SQLException {
        section("scores", "Score distributions");
        List<List<Object>> models = rows("select model, max(version), count(*), round(avg(score), 4) from scores "
                + "where as_of_date = ? group by model order by model", date);
        if (models.isEmpty()) {
            note("No customers were scored for " + date + " (train a model first: crm train).");
            return;
        }
        table(List.of("model", "version", "customers scored", "mean score"), models);
        for (List<Object> m : models) {
            String model = (String) m.get(0);
            List<List<Object>> histogram = rows("select least(floor(score * 20), 19) as bucket, count(*) from scores "
                    + "where as_of_date = ? and model = ? group by bucket order by bucket", date, model);
            double[] counts = new double[20];
            histogram.forEach(r -> counts[((Number) r.get(0)).intValue()] = ((Number) r.get(1)).doubleValue());
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int b = 0; b < 20; b++) {
                labels.add(f("%.2f", b / 20.0));
                values.add(counts[b]);
            }
            html.append(Svg.columns("Scores of " + model + " (customers per 0.05 of probability)", labels, values,
                    "score (probability)", "customers"));
            List<List<Object>> reasons = rows("select reason_1, count(*) as customers from scores where as_of_date = ? "
                    + "and model = ? and reason_1 is not null group by reason_1 order by customers desc, reason_1 limit 5", date, model);
            if (!reasons.isEmpty()) {
                html.append("<h3>Most common first reason, ").append(Svg.escape(model)).append("</h3>");
                table(List.of("reason", "customers"), reasons);
            }
        }
    }

    private void models() throws SQLException {
        section("models", "Model quality (on validation data)");
        // The champion of each model, else its latest version: a model not promoted yet still shows why.
        List<List<Object>> champions = rows("select model, version, algorithm, case when is_champion then 'yes' "
                + "else 'no (latest version)' end, validation_rows, round(roc_auc, 4), round(oracle_auc, 4), "
                + "round(oracle_auc - roc_auc, 4), round(pr_auc, 4), round(brier, 4), left(created_at, 19) "
                + "from model_versions qualify row_number() over (partition by model order by is_champion desc, version desc) = 1 "
                + "order by model");
        if (champions.isEmpty()) {
            note("No model in the registry yet (crm train, or the training DAG).");
            return;
        }
        table(List.of("model", "version", "algorithm", "champion", "validation rows", "ROC AUC", "oracle AUC", "gap", "PR AUC",
                "Brier", "trained at"), champions);
        for (List<Object> c : champions) {
            String model = (String) c.get(0);
            Object version = c.get(1);
            List<List<Object>> deciles = rows("select decile, lift, cumulative_gain from model_deciles "
                    + "where model = ? and version = ? order by decile", model, version);
            List<List<Object>> calibration = rows("select mean_predicted, observed_rate from model_calibration "
                    + "where model = ? and version = ? order by bin", model, version);
            html.append("<div class=\"row\">");
            html.append(Svg.columns("Lift by decile, " + model + " v" + version, column(deciles, 0), doubles(deciles, 1),
                    "decile (1 = highest scores)", "lift"));
            List<double[]> gains = new ArrayList<>();
            gains.add(new double[] {0, 0});
            deciles.forEach(d -> gains.add(new double[] {((Number) d.get(0)).doubleValue() / 10, ((Number) d.get(2)).doubleValue()}));
            html.append(Svg.unitCurves("Cumulative gains, " + model, List.of(new Svg.Curve(model, gains)),
                    "share of customers contacted", "share of positives found"));
            List<double[]> calibrationPoints = calibration.stream()
                    .map(r -> new double[] {((Number) r.get(0)).doubleValue(), ((Number) r.get(1)).doubleValue()}).toList();
            html.append(Svg.unitCurves("Calibration, " + model, List.of(new Svg.Curve(model, calibrationPoints)),
                    "mean predicted", "observed rate"));
            html.append("</div>");
        }
    }

    private void funnel() throws SQLException {
        section("funnel", "Sales funnel (leads that entered up to " + date + ")");
        List<Object> totals = one("select count(*), coalesce(sum(leads), 0), coalesce(sum(qualified), 0), "
                + "coalesce(sum(quotes), 0), coalesce(sum(won), 0), coalesce(sum(lost), 0) from funnel where as_of_date = ?", date);
        if (((Number) totals.getFirst()).longValue() == 0) {
            note("No funnel for " + date + ".");
            return;
        }
        html.append(Svg.columns("Funnel stages", List.of("leads", "qualified", "quotes", "won", "lost"),
                totals.subList(1, totals.size()).stream().map(v -> ((Number) v).doubleValue()).toList(), "stage",
                "leads and opportunities"));
        table(List.of("team", "leads", "qualified", "quotes", "won", "lead → qualified", "qualified → quote", "quote → won",
                "win rate"), rows("""
                select coalesce(team, 'no team') as team, sum(leads), sum(qualified), sum(quotes), sum(won),
                       round(sum(qualified) / nullif(sum(leads), 0), 3), round(sum(quotes) / nullif(sum(qualified), 0), 3),
                       round(sum(won) / nullif(sum(quotes), 0), 3), round(sum(won) / nullif(sum(won) + sum(lost), 0), 3)
                from funnel where as_of_date = ? group by all order by team""", date));
    }

    private void kpis() throws SQLException {
        section("kpis", "KPIs over the last " + TREND_DAYS + " days");
        List<List<Object>> daily = rows("select as_of_date, orders, revenue, active_customers from kpi_daily "
                + "where region = 'all' and as_of_date between ? and ? order by as_of_date", date.minusDays(TREND_DAYS), date);
        if (daily.isEmpty()) {
            note("No KPIs up to " + date + ".");
            return;
        }
        List<String> days = column(daily, 0);
        html.append("<div class=\"row\">");
        html.append(Svg.lines("Revenue per day", days, List.of(new Svg.Series("revenue", doubles(daily, 2))), "revenue"));
        html.append(Svg.lines("Orders per day", days, List.of(new Svg.Series("orders", doubles(daily, 1))), "orders"));
        html.append("</div>");
    }

    private void alerts() throws SQLException {
        section("alerts", "Alerts on " + date);
        List<List<Object>> alerts = rows("select rule, subject, round(value, 3), round(baseline, 3), message from alerts "
                + "where as_of_date = ? order by rule, subject", date);
        if (alerts.isEmpty()) {
            note("No alerts.");
        } else {
            table(List.of("rule", "subject", "value", "baseline", "message"), alerts);
        }
    }

    /** One line per name over the dates in the rows (date, name, value), gaps where a name has no value. */
    private static String trendChart(String title, List<List<Object>> rows, String yLabel) {
        List<String> dates = rows.stream().map(r -> r.get(0).toString()).distinct().toList();
        Map<String, List<Double>> byName = new LinkedHashMap<>();
        for (List<Object> r : rows) {
            List<Double> values = byName.computeIfAbsent((String) r.get(1), k -> new ArrayList<>(Collections.nCopies(dates.size(), (Double) null)));
            values.set(dates.indexOf(r.get(0).toString()), ((Number) r.get(2)).doubleValue());
        }
        return Svg.lines(title, dates, Svg.series(byName), yLabel);
    }

    private void section(String id, String title) {
        html.append("<h2 id=\"").append(id).append("\">").append(Svg.escape(title)).append("</h2>");
    }

    private void note(String text) {
        html.append("<p class=\"muted\">").append(Svg.escape(text)).append("</p>");
    }

    private void card(String label, Object value) {
        html.append("<div class=\"card\"><div class=\"value\">").append(Svg.escape(format(value)))
                .append("</div><div class=\"label\">").append(Svg.escape(label)).append("</div></div>");
    }

    private void table(List<String> headings, List<List<Object>> rows) {
        html.append("<table class=\"sortable\"><thead><tr>");
        headings.forEach(h -> html.append("<th>").append(Svg.escape(h)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (List<Object> r : rows) {
            html.append("<tr>");
            for (Object v : r) {
                html.append(v instanceof Number ? "<td class=\"num\">" : "<td>").append(Svg.escape(format(v))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
    }

    private List<List<Object>> rows(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<List<Object>> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    private List<Object> one(String sql, Object... params) throws SQLException {
        List<List<Object>> r = rows(sql, params);
        return r.isEmpty() ? null : r.getFirst();
    }

    private static List<String> column(List<List<Object>> rows, int i) {
        return rows.stream().map(r -> format(r.get(i))).toList();
    }

    private static List<Double> doubles(List<List<Object>> rows, int i) {
        return rows.stream().map(r -> r.get(i) == null ? null : ((Number) r.get(i)).doubleValue()).toList();
    }

    private static String format(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
            double d = ((Number) v).doubleValue();
            return Math.abs(d) >= 1000 ? f("%,.0f", d) : f("%.4g", d).replaceFirst("(\\.\\d*?)0+$", "$1").replaceFirst("\\.$", "");
        }
        if (v instanceof Long || v instanceof Integer) {
            return f("%,d", ((Number) v).longValue());
        }
        return v.toString();
    }

    private static String link(String id, String text) {
        return "<a href=\"#" + id + "\">" + text + "</a>";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#222}
            h2{margin-top:2em;border-bottom:1px solid #ddd}
            nav a{color:#1f77b4}
            .muted{color:#666}
            .cards{display:flex;flex-wrap:wrap;gap:.8em}
            .card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:9em}
            .card .value{font-size:1.5em;font-weight:600}
            .card .label{color:#666;font-size:.9em}
            .row{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
            figure{margin:.5em 0}
            figcaption{color:#555;font-size:.9em}
            svg.chart{background:#fafafa}
            table{border-collapse:collapse;margin:.5em 0}
            th,td{padding:.25em .7em;border-bottom:1px solid #e5e5e5;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            th{cursor:pointer;user-select:none}
            th[aria-sort=ascending]::after{content:" ▲"}
            th[aria-sort=descending]::after{content:" ▼"}
            """;

    /** Click a heading to sort by that column; numbers sort as numbers. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable th').forEach(function (th, _, all) {
              th.addEventListener('click', function () {
                var table = th.closest('table');
                var index = Array.prototype.indexOf.call(th.parentNode.children, th);
                var ascending = th.getAttribute('aria-sort') !== 'ascending';
                table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                var key = function (row) {
                  var text = row.cells[index].textContent;
                  var n = parseFloat(text.replace(/,/g, ''));
                  return isNaN(n) ? text : n;
                };
                rows.sort(function (a, b) {
                  var x = key(a), y = key(b);
                  var order = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
                  return ascending ? order : -order;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              });
            });
            document.documentElement.setAttribute('data-report-ready', 'yes');
            """;
}

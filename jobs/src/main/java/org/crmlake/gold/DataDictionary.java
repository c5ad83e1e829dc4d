package org.crmlake.gold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmlake.ingest.SourceContract;
import org.crmlake.lake.Column;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/**
 * Generates {@code docs/DATA_DICTIONARY.md} from the catalog ({@link Tables}): every table of every
 * layer with its description, key, partitioning and columns, plus a summary of the customer rules
 * and the gold settings. {@code crm dictionary} writes it; a test fails when the file is stale.
 */
public final class DataDictionary {
    public static final Path DEFAULT_FILE = Path.of("docs", "DATA_DICTIONARY.md");

    private DataDictionary() {
    }

    /** Every declared table in reading order: bronze, ops, silver, gold, governance. */
    public static List<TableDef> tables() {
        List<TableDef> all = new ArrayList<>();
        for (String source : SourceContract.SOURCES) {
            all.addAll(Tables.bronzeTables(source));
        }
        all.add(Tables.QUARANTINE);
        all.add(Tables.INGEST_LOG);
        all.add(Tables.DQ_RESULTS);
        all.addAll(Tables.SILVER);
        all.addAll(Tables.IDENTITY);
        all.addAll(Tables.GOLD_ANALYTICS);
        all.addAll(Tables.GOLD_VALUE);
        all.addAll(Tables.MODELS);
        all.addAll(Tables.GOLD_SEGMENTS);
        all.addAll(Tables.GOVERNANCE);
        return all;
    }

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Data dictionary\n\n")
                .append("Generated from `jobs/src/main/java/org/crmlake/lake/Tables.java` by `./crm dictionary`; do not edit by hand.\n")
                .append("Tables live under `<lake>/<layer>/<table>` as Delta tables.\n\n");
        md.append("| table | description |\n|---|---|\n");
        for (TableDef t : tables()) {
            md.append("| [`").append(t.qualifiedName()).append("`](#").append(anchor(t)).append(") | ")
                    .append(cell(t.description())).append(" |\n");
        }
        for (TableDef t : tables()) {
            md.append("\n## ").append(t.qualifiedName()).append("\n\n").append(t.description()).append("\n\n");
            md.append("- key: ").append(t.keys().isEmpty() ? "none declared" : "`" + String.join("`, `", t.keys()) + "`").append('\n');
            md.append("- partitioned by: ").append(t.partitionBy().isEmpty() ? "not partitioned"
                    : "`" + String.join("`, `", t.partitionBy()) + "`").append('\n');
            if (t.appendOnly()) {
                md.append("- append-only: Delta property `delta.appendOnly`, updates and deletes are refused\n");
            }
            if (!t.personKeys().isEmpty()) {
                md.append("- personal: `crm forget` deletes a person's rows by ").append(String.join(", ",
                        t.personKeys().entrySet().stream().map(e -> "`" + e.getKey() + "` (" + e.getValue().id() + ")").toList()))
                        .append('\n');
            }
            if (!t.protectedColumns().isEmpty()) {
                md.append("- encrypted at rest (when the lake has a key file): `").append(String.join("`, `", t.protectedColumns()))
                        .append("`\n");
            }
            md.append('\n');
            md.append("| column | type | description |\n|---|---|---|\n");
            for (Column c : t.columns()) {
                md.append("| `").append(c.name()).append("` | ").append(c.type().simpleString()).append(" | ")
                        .append(cell(c.description())).append(" |\n");
            }
        }
        md.append("\n## Customer rules (`jobs/src/main/resources").append(CustomerRules.RESOURCE).append("`)\n\n")
                .append("RFM segment, lifecycle stage and tags of `gold.customer_360` are CASE expressions in this one\n")
                .append("SQL file, evaluated by Spark SQL over the other columns. Its comments:\n\n");
        for (String line : CustomerRules.comments()) {
            md.append("> ").append(line).append('\n');
        }
        md.append("\n## Gold settings (`jobs/src/main/resources/gold.yaml`, defaults)\n\n| setting | default |\n|---|---|\n");
        for (Map.Entry<String, Number> e : GoldConfig.defaults().values().entrySet()) {
            md.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" |\n");
        }
        md.append("\n## Alert rules (`build-kpis`, table `gold.alerts`)\n\n")
                .append("1. `region_orders_drop`: a region's orders on the date are below (1 - `alerts.orders_drop_margin`) x its\n")
                .append("   average daily orders over the `alerts.orders_baseline_days` days before the date, and that average is at\n")
                .append("   least `alerts.min_baseline_daily_orders`.\n")
                .append("2. `tier_a_at_risk`: a customer in ABC tier A whose lifecycle stage is `at risk` on the date and was another\n")
                .append("   stage in the previous `gold.customer_360` snapshot (the latest earlier as-of date).\n");
        return md.toString();
    }

    public static void write(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the data dictionary to " + file, e);
        }
    }

    private static String anchor(TableDef t) {
        return t.qualifiedName().replace(".", "");
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}

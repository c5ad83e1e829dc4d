package org.crmlake.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.models.LabeledData;

/** Labelled rows of gold.features brought to the driver for Smile, which trains in one JVM. */
public final class FeatureRows {
    private FeatureRows() {
    }

    /** The label column of a model, and which rows it applies to. */
    public static String labelColumn(String model) {
        return switch (model) {
            case "churn" -> "label_churn";
            case "propensity" -> "label_purchase";
            default -> throw new IllegalArgumentException("unknown model '" + model + "': use churn or propensity");
        };
    }

    /** Plain names for score reasons: the text before ';' of each feature's description. */
    public static Map<String, String> plainNames() {
        Map<String, String> names = new LinkedHashMap<>();
        for (var c : Tables.FEATURES.columns()) {
            if (Tables.featureNames().contains(c.name())) {
                int cut = c.description().indexOf(';');
                names.put(c.name(), cut < 0 ? c.description() : c.description().substring(0, cut));
            }
        }
        return names;
    }

    /** Labelled rows of the given cutoffs; ids are {@code customer_id@cutoff}. */
    public static LabeledData collect(Lake lake, String model, List<LocalDate> cutoffs) {
        String label = labelColumn(model);
        Dataset<Row> rows = lake.read(Tables.FEATURES)
                .filter(col("cutoff_date").isin(cutoffs.stream().map(d -> java.sql.Date.valueOf(d)).toArray()))
                .filter(col(label).isNotNull())
                .orderBy("cutoff_date", "customer_id");
        List<Column> select = new ArrayList<>(List.of(col("customer_id"), col("cutoff_date").cast("string"), col(label)));
        Tables.featureNames().forEach(f -> select.add(col(f)));
        List<Row> collected = rows.select(select.toArray(Column[]::new)).collectAsList();
        List<String> features = Tables.featureNames();
        double[][] x = new double[collected.size()][features.size()];
        int[] y = new int[collected.size()];
        String[] ids = new String[collected.size()];
        for (int i = 0; i < collected.size(); i++) {
            Row r = collected.get(i);
            ids[i] = r.getString(0) + "@" + r.getString(1);
            y[i] = r.getInt(2);
            for (int j = 0; j < features.size(); j++) {
                x[i][j] = r.isNullAt(3 + j) ? 0 : r.getDouble(3 + j);
            }
        }
        return new LabeledData(features, x, y, ids);
    }

    /**
     * The model's population at one cutoff, with just the id and the features (for scoring): churn
     * applies to recent buyers only, as in training; propensity to every customer.
     */
    public static Dataset<Row> ofCutoff(Lake lake, String model, LocalDate cutoff) {
        List<Column> select = new ArrayList<>(List.of(col("customer_id")));
        Tables.featureNames().forEach(f -> select.add(col(f)));
        Dataset<Row> rows = lake.read(Tables.FEATURES).filter(col("cutoff_date").equalTo(lit(cutoff.toString()).cast("date")));
        if (labelColumn(model).equals("label_churn")) {
            rows = rows.filter(col("churn_eligible"));
        }
        return rows.select(select.toArray(Column[]::new));
    }
}

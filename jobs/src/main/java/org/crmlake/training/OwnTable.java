package org.crmlake.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.crmlake.models.LabeledData;

/**
 * A team's own feature table: a CSV (with header), Parquet file or folder, or Delta folder; a 0/1
 * label column, an optional id column, and numeric feature columns.
 */
public record OwnTable(Path file, String labelColumn, String idColumn, String modelName) {
    public OwnTable {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--table " + file + " does not exist");
        }
        if (modelName == null || !modelName.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("--model must be a lower-case name like my_churn for a model of your own table");
        }
    }

    Dataset<Row> load(SparkSession spark) {
        String path = file.toAbsolutePath().toString();
        if (Files.isDirectory(file.resolve("_delta_log"))) {
            return spark.read().format("delta").load(path);
        }
        if (path.endsWith(".csv")) {
            return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        }
        return spark.read().parquet(path);
    }

    LabeledData read(SparkSession spark) {
        Dataset<Row> rows = load(spark);
        List<String> columns = List.of(rows.columns());
        if (!columns.contains(labelColumn)) {
            throw new IllegalArgumentException(file + " has no column '" + labelColumn + "' (--label); columns: " + columns);
        }
        if (idColumn != null && !columns.contains(idColumn)) {
            throw new IllegalArgumentException(file + " has no column '" + idColumn + "' (--id); columns: " + columns);
        }
        List<String> features = new ArrayList<>();
        for (StructField f : rows.schema().fields()) {
            if (f.name().equals(labelColumn) || f.name().equals(idColumn)) {
                continue;
            }
            if (!(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException(file + ": column '" + f.name() + "' is " + f.dataType().simpleString()
                        + ", not a number: drop it, or name it with --id if it identifies the row");
            }
            features.add(f.name());
        }
        List<Row> collected = rows.collectAsList();
        double[][] x = new double[collected.size()][features.size()];
        int[] y = new int[collected.size()];
        String[] ids = new String[collected.size()];
        for (int i = 0; i < collected.size(); i++) {
            Row r = collected.get(i);
            Object label = r.getAs(labelColumn);
            double v = label == null ? Double.NaN : ((Number) label).doubleValue();
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException(file + " row " + (i + 1) + ": label " + labelColumn + " is " + label
                        + "; it must be 0 or 1");
            }
            y[i] = (int) v;
            ids[i] = (idColumn == null ? "row" + i : String.valueOf(r.<Object>getAs(idColumn))) + "@" + file.getFileName();
            for (int j = 0; j < features.size(); j++) {
                Object value = r.getAs(features.get(j));
                x[i][j] = value == null ? Double.NaN : ((Number) value).doubleValue();
            }
        }
        return new LabeledData(features, x, y, ids).withMissingAsZero();
    }
}

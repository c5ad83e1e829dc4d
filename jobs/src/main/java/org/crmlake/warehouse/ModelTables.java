package org.crmlake.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmlake.models.CalibrationBin;
import org.crmlake.models.DecileRow;
import org.crmlake.models.Evaluation;
import org.crmlake.models.ModelRegistry;
import org.crmlake.models.ModelVersion;

/**
 * The model registry's validation results as warehouse tables, so analysts, notebooks and the run
 * report chart model quality with SQL: every registered version, its lift by decile and its
 * calibration. They come from the registry folder (not the lake), so they are declared here, once.
 */
final class ModelTables {
    record WarehouseColumn(String name, String sqlType, String description) {
    }

    record WarehouseTable(String name, String description, List<WarehouseColumn> columns) {
        String createSql() {
            return "CREATE TABLE " + name + " (" + String.join(", ",
                    columns.stream().map(c -> c.name() + " " + c.sqlType()).toList()) + ")";
        }

        String insertSql() {
            return "INSERT INTO " + name + " VALUES (" + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        }
    }

    private static final WarehouseColumn MODEL = new WarehouseColumn("model", "VARCHAR", "churn or propensity");
    private static final WarehouseColumn VERSION = new WarehouseColumn("version", "INTEGER", "registry version");

    static final WarehouseTable VERSIONS = new WarehouseTable("model_versions",
            "every registered model version and how it scored on its validation rows (a later cutoff than training)",
            List.of(MODEL, VERSION,
                    new WarehouseColumn("algorithm", "VARCHAR", "GRADIENT_BOOSTING, RANDOM_FOREST or LOGISTIC_REGRESSION"),
                    new WarehouseColumn("is_champion", "BOOLEAN", "the version scoring uses"),
                    new WarehouseColumn("created_at", "VARCHAR", "when the version was trained (ISO-8601 instant)"),
                    new WarehouseColumn("validation_rows", "BIGINT", "customers in the validation set"),
                    new WarehouseColumn("positive_rate", "DOUBLE", "share of validation customers with the label"),
                    new WarehouseColumn("roc_auc", "DOUBLE", "ROC AUC on validation"),
                    new WarehouseColumn("oracle_auc", "DOUBLE", "AUC of the generator's true probabilities; null on real data"),
                    new WarehouseColumn("pr_auc", "DOUBLE", "PR AUC (average precision) on validation"),
                    new WarehouseColumn("brier", "DOUBLE", "Brier score (mean squared error of the probability)"),
                    new WarehouseColumn("log_loss", "DOUBLE", "log loss on validation")));

    static final WarehouseTable DECILES = new WarehouseTable("model_deciles",
            "lift and cumulative gains by score decile on each version's validation rows",
            List.of(MODEL, VERSION,
                    new WarehouseColumn("decile", "INTEGER", "1 = the tenth with the highest scores"),
                    new WarehouseColumn("rows", "BIGINT", "validation customers in the decile"),
                    new WarehouseColumn("mean_score", "DOUBLE", "mean calibrated probability in the decile"),
                    new WarehouseColumn("positive_rate", "DOUBLE", "share with the label in the decile"),
                    new WarehouseColumn("lift", "DOUBLE", "the decile's positive rate / the overall positive rate"),
                    new WarehouseColumn("cumulative_gain", "DOUBLE", "share of all positives found in deciles 1..decile")));

    static final WarehouseTable CALIBRATION = new WarehouseTable("model_calibration",
            "predicted against observed rates in ten probability bins, per version; empty bins are left out",
            List.of(MODEL, VERSION,
                    new WarehouseColumn("bin", "INTEGER", "1 = probabilities in [0, 0.1)"),
                    new WarehouseColumn("lower_bound", "DOUBLE", "lowest probability in the bin"),
                    new WarehouseColumn("upper_bound", "DOUBLE", "bin's upper bound (exclusive)"),
                    new WarehouseColumn("rows", "BIGINT", "validation customers in the bin"),
                    new WarehouseColumn("mean_predicted", "DOUBLE", "mean predicted probability"),
                    new WarehouseColumn("observed_rate", "DOUBLE", "share with the label")));

    static final List<WarehouseTable> ALL = List.of(VERSIONS, DECILES, CALIBRATION);

    private ModelTables() {
    }

    /** Creates and fills the three tables; rows written per table. No registry (null or empty) means empty tables. */
    static Map<String, Long> write(Connection db, ModelRegistry registry) throws SQLException {
        for (WarehouseTable t : ALL) {
            try (Statement s = db.createStatement()) {
                s.execute(t.createSql());
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        ALL.forEach(t -> rows.put(t.name(), 0L));
        try (PreparedStatement versions = db.prepareStatement(VERSIONS.insertSql());
                PreparedStatement deciles = db.prepareStatement(DECILES.insertSql());
                PreparedStatement calibration = db.prepareStatement(CALIBRATION.insertSql())) {
            for (String model : registry == null ? List.<String>of() : registry.modelNames()) {
                for (ModelVersion v : registry.list(model)) {
                    ModelRegistry.StoredMetrics stored = registry.metrics(model, v.version());
                    Evaluation e = stored.evaluation();
                    add(versions, model, v.version(), v.algorithm().name(), v.isChampion(), v.createdAt(), e.rows(),
                            e.positiveRate(), e.rocAuc(), stored.oracleAuc(), e.prAuc(), e.brier(), e.logLoss());
                    rows.merge(VERSIONS.name(), 1L, Long::sum);
                    for (DecileRow d : e.deciles()) {
                        add(deciles, model, v.version(), d.decile(), d.count(), d.meanScore(), d.positiveRate(), d.lift(),
                                d.cumulativeGain());
                        rows.merge(DECILES.name(), 1L, Long::sum);
                    }
                    for (CalibrationBin b : e.calibration()) {
                        add(calibration, model, v.version(), b.bin(), b.lower(), b.upper(), b.count(), b.meanPredicted(),
                                b.observedRate());
                        rows.merge(CALIBRATION.name(), 1L, Long::sum);
                    }
                }
            }
            versions.executeBatch();
            deciles.executeBatch();
            calibration.executeBatch();
        }
        return rows;
    }

    private static void add(PreparedStatement insert, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            insert.setObject(i + 1, values[i]);
        }
        insert.addBatch();
    }
}

package org.crmlake.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.models.ModelRegistry;
import org.crmlake.models.ModelVersion;
import org.crmlake.models.Reason;
import org.crmlake.models.TrainedModel;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.scores}: each model's champion applied to the date's features. The model is
 * broadcast and applied per partition, so no customer list passes through the driver; deciles come
 * from approximate quantiles. Feature and score drift against training go to gold.model_drift, and
 * drift above {@link Drift#ALERT_PSI} to gold.alerts. A model without a champion is skipped.
 */
public final class ScoreCustomersJob implements Job {
    public static final List<String> MODELS = List.of("churn", "propensity");
    private static final StructType SCORED = new StructType()
            .add("customer_id", DataTypes.StringType).add("score", DataTypes.DoubleType)
            .add("reason_1", DataTypes.StringType).add("reason_2", DataTypes.StringType).add("reason_3", DataTypes.StringType);

    @Override
    public String name() {
        return "score-customers";
    }

    @Override
    public String description() {
        return "champion churn and propensity scores with top reasons, deciles and drift for the date";
    }

    @Override
    public List<String> inputs() {
        List<String> in = new ArrayList<>(List.of(Tables.FEATURES.qualifiedName()));
        MODELS.forEach(m -> in.add(TrainModelJob.registryOutput(m)));
        return in;
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.SCORES.qualifiedName(), Tables.MODEL_DRIFT.qualifiedName(), Tables.ALERTS.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        ModelRegistry registry = ModelStore.open(lake);
        List<String> summary = new ArrayList<>();
        if (lake.read(Tables.FEATURES).filter(col("cutoff_date").equalTo(lit(context.date().toString()).cast("date")))
                .isEmpty()) {
            summary.add(Tables.SCORES.qualifiedName() + " " + context.date() + ": no features for the date; run build-features first");
            return new JobResult(name(), summary);
        }
        for (String model : MODELS) {
            Optional<ModelVersion> champion = registry.modelNames().contains(model) ? registry.champion(model)
                    : Optional.empty();
            if (champion.isEmpty()) {
                summary.add(model + ": no champion yet, not scored (train one: crm train --model " + model + ")");
                continue;
            }
            context.spark().sparkContext().setJobGroup(name(), name() + " " + model + " " + context.date(), false);
            Dataset<Row> features = FeatureRows.ofCutoff(lake, model, context.date()).cache();
            try {
                summary.addAll(score(lake, context.date(), model, champion.get(), registry, features, features.count()));
            } finally {
                features.unpersist();
                context.spark().sparkContext().clearJobGroup();
            }
        }
        return new JobResult(name(), summary);
    }

    private List<String> score(Lake lake, LocalDate date, String model, ModelVersion champion, ModelRegistry registry,
            Dataset<Row> features, long customers) {
        long t0 = System.nanoTime();
        TrainedModel trained = registry.load(model, champion.version());
        if (!trained.features().equals(Tables.featureNames())) {
            return List.of(model + ": champion v" + champion.version() + " was trained on other features than gold.features "
                    + "has now; not scored (retrain: crm train --model " + model + ")");
        }
        Broadcast<TrainedModel> shared = JavaSparkContext.fromSparkContext(lake.spark().sparkContext()).broadcast(trained);
        Dataset<Row> scored = features.mapPartitions(new ScorePartition(shared, Tables.featureNames()), Encoders.row(SCORED))
                .localCheckpoint();
        double[] cuts = scored.stat().approxQuantile("score", new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, 0.001);
        Column above = lit(0);
        for (double cut : cuts) {
            above = above.plus(when(col("score").geq(cut), 1).otherwise(0));
        }
        String slice = "as_of_date = '" + date + "' AND model = '" + model + "'";
        lake.replaceWhere(Tables.SCORES, slice, scored
                .withColumn("as_of_date", lit(date.toString()).cast("date"))
                .withColumn("model", lit(model))
                .withColumn("version", lit(champion.version()))
                .withColumn("decile", lit(10).minus(above))
                .withColumn("scored_at", current_timestamp()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s: %d customers scored by v%d in %.1f s (%.0f customers/s)", model,
                customers, champion.version(), seconds, customers / seconds));
        lines.addAll(drift(lake, date, model, champion, features, scored));
        return lines;
    }

    /** PSI of each feature and of the score against the champion's training data. */
    private List<String> drift(Lake lake, LocalDate date, String model, ModelVersion champion, Dataset<Row> features,
            Dataset<Row> scored) {
        Map<String, Drift.Bins> reference = new java.util.LinkedHashMap<>(Drift.read(champion.dir()));
        Drift.Bins scoreBins = reference.remove("score");
        if (reference.isEmpty() || scoreBins == null) {
            return List.of("  drift: v" + champion.version() + " has no training reference, not measured");
        }
        Map<String, Double> psi = new java.util.LinkedHashMap<>(Drift.psi(features, reference));
        psi.putAll(Drift.psi(scored, Map.of("score", scoreBins)));
        List<Row> rows = new ArrayList<>();
        List<Row> alerts = new ArrayList<>();
        java.sql.Date day = java.sql.Date.valueOf(date);
        for (var e : psi.entrySet()) {
            boolean drifted = e.getValue() > Drift.ALERT_PSI;
            rows.add(RowFactory.create(day, model, champion.version(), e.getKey(), e.getValue(), drifted));
            if (drifted) {
                alerts.add(RowFactory.create(day, "model_drift", model + "/" + e.getKey(), e.getValue(), Drift.ALERT_PSI,
                        String.format(Locale.ROOT, "%s model: %s drifted from training (PSI %.2f > %.1f)", model,
                                e.getKey(), e.getValue(), Drift.ALERT_PSI)));
            }
        }
        var spark = lake.spark();
        lake.replaceWhere(Tables.MODEL_DRIFT, "as_of_date = '" + date + "' AND model = '" + model + "'",
                spark.createDataFrame(rows, Tables.MODEL_DRIFT.schema()));
        lake.replaceWhere(Tables.ALERTS, "as_of_date = '" + date + "' AND rule = 'model_drift' AND subject LIKE '" + model + "/%'",
                spark.createDataFrame(alerts, Tables.ALERTS.schema()));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "  drift: score PSI %.3f; %d of %d features above %.1f%s", psi.get("score"),
                alerts.stream().filter(a -> !a.getString(2).endsWith("/score")).count(), psi.size() - 1, Drift.ALERT_PSI,
                alerts.isEmpty() ? "" : " -> gold.alerts"));
        alerts.forEach(a -> lines.add("  ALERT " + a.getString(5)));
        return lines;
    }

    /** Applies the broadcast model to one partition's feature rows, one row at a time. */
    private record ScorePartition(Broadcast<TrainedModel> model, List<String> features)
            implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TrainedModel m = model.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row r = rows.next();
                    double[] x = new double[features.size()];
                    for (int j = 0; j < x.length; j++) {
                        x[j] = r.isNullAt(j + 1) ? 0 : r.getDouble(j + 1);
                    }
                    List<Reason> reasons = m.reasons(x, 3);
                    return RowFactory.create(r.getString(0), m.probability(x),
                            reasons.size() > 0 ? reasons.get(0).text() : null,
                            reasons.size() > 1 ? reasons.get(1).text() : null,
                            reasons.size() > 2 ? reasons.get(2).text() : null);
                }
            };
        }
    }
}

package org.crmlake.clv;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.gold.AsOf;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.models.clv.BgNbd;
import org.crmlake.models.clv.ClvModel;
import org.crmlake.models.clv.GammaGamma;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.clv} and {@code gold.clv_parameters}: probabilistic customer lifetime value for an
 * as-of date (docs/CLV.md). The calibration period is every order up to the end of the date (UTC),
 * cancelled orders excluded. A purchase is an order day: x = distinct order days - 1, t_x and T in
 * days from the first order day. Spark builds the per-customer summaries; only the summaries (BG/NBD:
 * distinct (x, t_x, T) with their count; Gamma–Gamma: x and mean repeat value of repeat buyers) go to
 * the driver to fit; the fitted {@link ClvModel} is broadcast and every customer is scored on the
 * executors. Re-running a date replaces that date's rows in both tables.
 */
public final class FitClvJob implements Job {
    static final int SHORT_HORIZON_DAYS = 90;
    static final int LONG_HORIZON_DAYS = 365;

    @Override
    public String name() {
        return "fit-clv";
    }

    @Override
    public String description() {
        return "fit BG/NBD and Gamma-Gamma on orders up to the date; p_alive, expected purchases and 365-day CLV per customer";
    }

    @Override
    public List<String> inputs() {
        return List.of(Tables.ORDERS.qualifiedName(), Tables.IDENTITY_MAP.qualifiedName());
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.CLV.qualifiedName(), Tables.CLV_PARAMETERS.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        AsOf asOf = new AsOf(context.date());
        context.spark().sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
        List<String> lines = new ArrayList<>();
        try {
            Dataset<Row> summaries = summaries(lake, asOf).cache();
            try {
                long t0 = System.nanoTime();
                BgNbd.Fit purchases = fitPurchases(summaries, asOf);
                GammaGamma.Fit spend = fitSpend(summaries, asOf);
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                ClvModel model = new ClvModel(purchases.model(), spend.model());
                lake.replaceWhere(Tables.CLV_PARAMETERS, asOf.slice(), parameters(lake, asOf, purchases, spend));
                lake.replaceWhere(Tables.CLV, asOf.slice(), score(lake, asOf, summaries, model));
                BgNbd b = purchases.model();
                GammaGamma g = spend.model();
                lines.add(String.format(Locale.ROOT, "bg_nbd (days) r=%.4g alpha=%.4g a=%.4g b=%.4g on %d customers, log-likelihood %.1f",
                        b.r(), b.alpha(), b.a(), b.b(), (long) purchases.customers(), purchases.logLikelihood()));
                lines.add(String.format(Locale.ROOT, "gamma_gamma p=%.4g q=%.4g gamma=%.4g on %d repeat buyers (population mean order value %.2f); both fitted in %.2f s",
                        g.p(), g.q(), g.gamma(), (long) spend.customers(), g.populationMean(), fitSeconds));
            } finally {
                summaries.unpersist();
            }
        } finally {
            context.spark().sparkContext().clearJobGroup();
        }
        Row s = lake.read(Tables.CLV).filter(asOf.slice())
                .agg(count(lit(1)), avg("p_alive"), sum("clv_365d"), sum("expected_purchases_365d")).first();
        lines.add(String.format(Locale.ROOT, "%s %s: %d customers, mean p_alive %.3f, expected 365-day value %.2f over %.1f expected orders",
                Tables.CLV.qualifiedName(), asOf.date(), s.getLong(0), s.getDouble(1), s.getDouble(2), s.getDouble(3)));
        return new JobResult(name(), lines);
    }

    /**
     * One row per customer with an order up to the date: customer_id, frequency, recency_days,
     * age_days, avg_order_value (mean over the repeat order days, the first order day excluded as in
     * Gamma–Gamma practice; null when frequency = 0).
     */
    static Dataset<Row> summaries(Lake lake, AsOf asOf) {
        Dataset<Row> idm = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
        Dataset<Row> days = lake.read(Tables.ORDERS)
                .filter(asOf.upTo(col("ordered_at")).and(coalesce(col("status"), lit("")).notEqual("cancelled")))
                .join(idm, "record_key")
                .groupBy("customer_id", "order_date")
                .agg(sum(coalesce(col("total_amount"), lit(0.0))).as("day_amount"));
        return days.groupBy("customer_id").agg(
                        min("order_date").as("first_day"),
                        max("order_date").as("last_day"),
                        count(lit(1)).as("order_days"),
                        sum("day_amount").as("total_amount"),
                        min(struct(col("order_date"), col("day_amount"))).getField("day_amount").as("first_day_amount"))
                .select(
                        col("customer_id"),
                        col("order_days").minus(1).as("frequency"),
                        datediff(col("last_day"), col("first_day")).as("recency_days"),
                        datediff(asOf.dateLit(), col("first_day")).as("age_days"),
                        when(col("order_days").gt(1), col("total_amount").minus(col("first_day_amount"))
                                .divide(col("order_days").minus(1))).as("avg_order_value"));
    }

    private BgNbd.Fit fitPurchases(Dataset<Row> summaries, AsOf asOf) {
        List<Row> groups = summaries.groupBy("frequency", "recency_days", "age_days").count()
                // a fixed order makes the fit, and so a re-run, bit-for-bit repeatable
                .orderBy("frequency", "recency_days", "age_days").collectAsList();
        double[] x = new double[groups.size()];
        double[] tx = new double[groups.size()];
        double[] t = new double[groups.size()];
        double[] w = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            Row r = groups.get(i);
            x[i] = r.getLong(0);
            tx[i] = r.getInt(1);
            t[i] = r.getInt(2);
            w[i] = r.getLong(3);
        }
        try {
            return BgNbd.fit(x, tx, t, w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + " " + asOf.date() + ": " + e.getMessage()
                    + " (orders up to the date in silver.orders joined to gold.identity_map; gold.clv not written)", e);
        }
    }

    private GammaGamma.Fit fitSpend(Dataset<Row> summaries, AsOf asOf) {
        List<Row> buyers = summaries.filter(col("frequency").gt(0).and(col("avg_order_value").gt(0)))
                .groupBy("frequency", "avg_order_value").count().orderBy("frequency", "avg_order_value").collectAsList();
        double[] x = new double[buyers.size()];
        double[] m = new double[buyers.size()];
        double[] w = new double[buyers.size()];
        for (int i = 0; i < buyers.size(); i++) {
            x[i] = buyers.get(i).getLong(0);
            m[i] = buyers.get(i).getDouble(1);
            w[i] = buyers.get(i).getLong(2);
        }
        try {
            return GammaGamma.fit(x, m, w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + " " + asOf.date() + ": " + e.getMessage()
                    + " (gold.clv not written)", e);
        }
    }

    private static Dataset<Row> parameters(Lake lake, AsOf asOf, BgNbd.Fit purchases, GammaGamma.Fit spend) {
        Date date = Date.valueOf(asOf.date());
        BgNbd b = purchases.model();
        GammaGamma g = spend.model();
        List<Row> rows = new ArrayList<>();
        String[] names = {"r", "alpha", "a", "b"};
        double[] values = {b.r(), b.alpha(), b.a(), b.b()};
        for (int i = 0; i < names.length; i++) {
            rows.add(RowFactory.create(date, "bg_nbd", names[i], values[i], (long) purchases.customers(), purchases.logLikelihood()));
        }
        String[] gNames = {"p", "q", "gamma"};
        double[] gValues = {g.p(), g.q(), g.gamma()};
        for (int i = 0; i < gNames.length; i++) {
            rows.add(RowFactory.create(date, "gamma_gamma", gNames[i], gValues[i], (long) spend.customers(), spend.logLikelihood()));
        }
        return lake.spark().createDataFrame(rows, Tables.CLV_PARAMETERS.schema());
    }

    /** Scores every customer on the executors with the broadcast model. */
    private static Dataset<Row> score(Lake lake, AsOf asOf, Dataset<Row> summaries, ClvModel model) {
        Broadcast<ClvModel> shared = JavaSparkContext.fromSparkContext(lake.spark().sparkContext()).broadcast(model);
        StructType out = new StructType()
                .add("customer_id", DataTypes.StringType)
                .add("frequency", DataTypes.LongType)
                .add("recency_days", DataTypes.IntegerType)
                .add("age_days", DataTypes.IntegerType)
                .add("avg_order_value", DataTypes.DoubleType)
                .add("p_alive", DataTypes.DoubleType)
                .add("expected_purchases_90d", DataTypes.DoubleType)
                .add("expected_purchases_365d", DataTypes.DoubleType)
                .add("expected_order_value", DataTypes.DoubleType)
                .add("clv_365d", DataTypes.DoubleType);
        MapPartitionsFunction<Row, Row> predict = rows -> scorePartition(rows, shared.value());
        return summaries.select("customer_id", "frequency", "recency_days", "age_days", "avg_order_value")
                .mapPartitions(predict, Encoders.row(out))
                .withColumn("as_of_date", asOf.dateLit());
    }

    private static Iterator<Row> scorePartition(Iterator<Row> rows, ClvModel model) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                long x = r.getLong(1);
                int tx = r.getInt(2);
                int age = r.getInt(3);
                Double m = r.isNullAt(4) ? null : r.getDouble(4);
                ClvModel.Prediction shortTerm = model.predict(x, tx, age, m == null ? Double.NaN : m, SHORT_HORIZON_DAYS);
                ClvModel.Prediction longTerm = model.predict(x, tx, age, m == null ? Double.NaN : m, LONG_HORIZON_DAYS);
                return RowFactory.create(r.getString(0), x, tx, age, m, longTerm.probabilityAlive(),
                        shortTerm.expectedPurchases(), longTerm.expectedPurchases(), longTerm.expectedOrderValue(),
                        longTerm.clv());
            }
        };
    }
}

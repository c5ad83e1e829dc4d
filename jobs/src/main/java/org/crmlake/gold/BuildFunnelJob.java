package org.crmlake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.funnel}: lead -> qualified -> quote -> won/lost. Each opportunity (its stage history
 * in silver.opportunity_stages) and each lead that never became an opportunity enters the funnel
 * once, at its lead's creation (or the opportunity's lead stage when it has no lead), and is counted
 * in the month it entered, under its owner and its lead's channel. A stage counts when it was entered
 * by the as-of date; reaching a later stage counts the earlier ones (won implies quote and qualified).
 * The whole table is rebuilt on every run.
 */
public final class BuildFunnelJob implements Job {
    private static final double SECONDS_PER_DAY = 86_400.0;

    @Override
    public String name() {
        return "build-funnel";
    }

    @Override
    public String description() {
        return "sales funnel per month, owner, team and channel: stage counts, conversion rates, median cycle days";
    }

    @Override
    public List<String> inputs() {
        return List.of(Tables.LEADS.qualifiedName(), Tables.OPPORTUNITIES.qualifiedName(),
                Tables.OPPORTUNITY_STAGES.qualifiedName(), Tables.OWNERS.qualifiedName());
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.FUNNEL.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        AsOf asOf = new AsOf(context.date());
        context.spark().sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
        try {
            lake.overwrite(Tables.FUNNEL, build(lake, asOf));
        } finally {
            context.spark().sparkContext().clearJobGroup();
        }
        Row t = lake.read(Tables.FUNNEL).agg(coalesce(org.apache.spark.sql.functions.sum("leads"), lit(0L)),
                coalesce(org.apache.spark.sql.functions.sum("won"), lit(0L)), count(lit(1))).first();
        return new JobResult(name(), List.of(Tables.FUNNEL.qualifiedName() + " " + asOf.date() + ": " + t.getLong(0)
                + " funnel entries, " + t.getLong(1) + " won, in " + t.getLong(2) + " month/owner/channel rows"));
    }

    Dataset<Row> build(Lake lake, AsOf asOf) {
        Dataset<Row> leads = lake.read(Tables.LEADS).filter(asOf.upTo(col("created_at")))
                .select("lead_id", "channel", "created_at");
        Dataset<Row> stages = lake.read(Tables.OPPORTUNITY_STAGES).filter(asOf.upTo(col("entered_at")))
                .groupBy("opportunity_id").agg(
                        entered("lead"), entered("qualified"), entered("quote"), entered("won"), entered("lost"));
        Dataset<Row> opportunities = lake.read(Tables.OPPORTUNITIES).select("opportunity_id", "lead_id", "owner_id")
                .join(stages, "opportunity_id")
                .join(leads.withColumnRenamed("created_at", "lead_created_at"), "lead_id", "left")
                .filter(col("lead_at").isNotNull().or(col("lead_created_at").isNotNull()))
                .select(col("owner_id"), coalesce(col("channel"), lit("none")).as("channel"),
                        coalesce(col("lead_created_at"), col("lead_at")).as("entered_at"),
                        col("qualified_at"), col("quote_at"), col("won_at"), col("lost_at"));
        Dataset<Row> leadsOnly = leads
                .join(lake.read(Tables.OPPORTUNITIES).filter(col("lead_id").isNotNull()).select("lead_id"), "lead_id", "left_anti")
                .select(lit(null).cast("string").as("owner_id"), col("channel"), col("created_at").as("entered_at"),
                        lit(null).cast("timestamp").as("qualified_at"), lit(null).cast("timestamp").as("quote_at"),
                        lit(null).cast("timestamp").as("won_at"), lit(null).cast("timestamp").as("lost_at"));

        Column won = col("won_at").isNotNull();
        Column quote = won.or(col("quote_at").isNotNull());
        Column qualified = quote.or(col("qualified_at").isNotNull());
        Dataset<Row> entries = opportunities.unionByName(leadsOnly)
                .withColumn("owner_id", coalesce(col("owner_id"), lit("unassigned")))
                .withColumn("channel", coalesce(col("channel"), lit("none")))
                .withColumn("period_month", trunc(col("entered_at"), "month"));

        Dataset<Row> funnel = entries.groupBy("period_month", "owner_id", "channel").agg(
                        count(lit(1)).as("leads"),
                        count(when(qualified, lit(1))).as("qualified"),
                        count(when(quote, lit(1))).as("quotes"),
                        count(when(won, lit(1))).as("won"),
                        count(when(col("lost_at").isNotNull(), lit(1))).as("lost"),
                        median(days(col("entered_at"), col("qualified_at"))).as("median_days_lead_to_qualified"),
                        median(days(col("qualified_at"), col("quote_at"))).as("median_days_qualified_to_quote"),
                        median(days(col("quote_at"), col("won_at"))).as("median_days_quote_to_won"),
                        median(days(col("entered_at"), coalesce(col("won_at"), col("lost_at")))).as("median_days_lead_to_close"))
                .withColumn("lead_to_qualified_rate", try_divide(col("qualified"), col("leads")))
                .withColumn("qualified_to_quote_rate", try_divide(col("quotes"), col("qualified")))
                .withColumn("quote_to_won_rate", try_divide(col("won"), col("quotes")))
                .withColumn("win_rate", try_divide(col("won"), col("won").plus(col("lost"))))
                .withColumn("as_of_date", asOf.dateLit());
        Dataset<Row> owners = lake.read(Tables.OWNERS).select("owner_id", "owner_name", "team");
        return funnel.join(owners, "owner_id", "left");
    }

    private static Column entered(String stage) {
        return max(when(col("stage").equalTo(stage), col("entered_at"))).as(stage + "_at");
    }

    private static Column days(Column from, Column to) {
        return unix_seconds(to).minus(unix_seconds(from)).divide(SECONDS_PER_DAY);
    }
}

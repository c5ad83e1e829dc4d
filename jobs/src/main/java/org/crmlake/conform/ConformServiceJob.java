package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.crmlake.conform.NormalizeUdfs.IS_NEGATIVE;
import static org.crmlake.conform.NormalizeUdfs.PHONE_E164;
import static org.crmlake.conform.NormalizeUdfs.SENTIMENT;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/**
 * Service records into silver: calls with a lexicon sentiment score of the transcript (Chinese and
 * English, docs/NORMALISATION.md) and a complaint flag, and CRM tickets with resolution time.
 */
public final class ConformServiceJob extends ConformJob {

    @Override
    public String name() {
        return "conform-service";
    }

    @Override
    public String description() {
        return "score call transcripts for sentiment and deduplicate calls and tickets into silver";
    }

    @Override
    protected List<String[]> bronzeInputs() {
        return List.of(new String[] {"calls", "calls"}, new String[] {"crm", "tickets"});
    }

    @Override
    protected List<TableDef> silverOutputs() {
        return List.of(Tables.CALLS, Tables.TICKETS);
    }

    @Override
    protected Dataset<Row> build(TableDef table, Lake lake) {
        if (table == Tables.TICKETS) {
            return latest(lake, "crm", "tickets").withColumn("hours_to_resolve",
                    unix_timestamp(col("resolved_at")).minus(unix_timestamp(col("opened_at"))).divide(3600.0));
        }
        return latest(lake, "calls", "calls")
                .withColumn("record_key", concat(lit("calls:calls:"), col("call_id")))
                .withColumn("caller_e164", PHONE_E164.apply(col("caller_number"), lit(null).cast("string")))
                .withColumn("sentiment_score", SENTIMENT.apply(col("transcript")))
                .withColumn("is_negative", IS_NEGATIVE.apply(col("transcript")))
                .withColumn("is_complaint", lower(col("reason")).contains("complaint")
                        .or(col("reason").contains("投诉")).or(col("is_negative")));
    }
}

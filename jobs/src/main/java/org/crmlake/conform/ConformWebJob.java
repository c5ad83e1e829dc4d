package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/**
 * Web clicks into {@code silver.web_events}, deduplicated and sessionised per cookie: a gap of
 * more than {@value #SESSION_GAP_MINUTES} minutes starts a new session (the usual web-analytics rule).
 * Late files are simply part of bronze by the time this runs, so their events land in the right session.
 */
public final class ConformWebJob extends ConformJob {
    static final int SESSION_GAP_MINUTES = 30;

    @Override
    public String name() {
        return "conform-web";
    }

    @Override
    public String description() {
        return "deduplicate and sessionise web click events into silver.web_events";
    }

    @Override
    protected List<String[]> bronzeInputs() {
        return List.<String[]>of(new String[] {"web", "events"});
    }

    @Override
    protected List<TableDef> silverOutputs() {
        return List.of(Tables.WEB_EVENTS);
    }

    @Override
    protected Dataset<Row> build(TableDef table, Lake lake) {
        WindowSpec byCookie = Window.partitionBy("cookie_id").orderBy("event_ts", "event_id");
        Dataset<Row> events = latest(lake, "web", "events");
        var gap = unix_timestamp(col("event_ts")).minus(unix_timestamp(lag(col("event_ts"), 1).over(byCookie)));
        return events
                .withColumn("_new_session", when(gap.isNull().or(gap.gt(SESSION_GAP_MINUTES * 60)), 1).otherwise(0))
                .withColumn("_session_no", sum("_new_session").over(byCookie))
                .withColumn("session_id", concat_ws("-", col("cookie_id"), col("_session_no").cast("string")))
                .withColumn("event_date", to_date(col("event_ts")));
    }
}

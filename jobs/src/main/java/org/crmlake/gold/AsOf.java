package org.crmlake.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The as-of date of a gold run: the only data used is data with timestamps up to the end of that
 * day (UTC), so a snapshot can be rebuilt later and stays point-in-time. Public for the value
 * models ({@code org.crmlake.clv}), which follow the same rule.
 */
public record AsOf(LocalDate date) {

    public Column dateLit() {
        return to_date(lit(date.toString()));
    }

    /** True for timestamps up to the end of the as-of day; false for null timestamps. */
    public Column upTo(Column ts) {
        return AsOfDates.upTo(ts, dateLit());
    }

    /** True for dates within the {@code days} days ending on the as-of date. */
    public Column within(Column day, int days) {
        return AsOfDates.of(date).within(day, days);
    }

    /** Delta predicate of this date's slice of a table partitioned by as_of_date. */
    public String slice() {
        return "as_of_date = '" + date + "'";
    }

    /** Rows keyed by a CRM contact id, given the record_key of the contact's person record. */
    public static Dataset<Row> withContactKey(Dataset<Row> rows) {
        return rows.withColumn("record_key", concat(lit("crm:contacts:"), col("contact_id")));
    }
}

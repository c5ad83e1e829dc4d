package org.crmlake.gold;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One or more as-of dates built in one query, each row carrying its date in {@code as_of_date}.
 * A source row is paired with every date it is visible at (by the rule of {@link AsOf}: timestamps
 * up to the end of the day), and aggregates group by the date as well as their key. Five training
 * cutoffs then cost one plan, one code generation and one scan of each source instead of five.
 * With a single date the date is a literal, so the optimizer folds it into the filters as before.
 */
public final class AsOfDates {
    public static final String COLUMN = "as_of_date";
    private final List<LocalDate> dates;

    private AsOfDates(List<LocalDate> dates) {
        if (dates.isEmpty()) {
            throw new IllegalArgumentException("at least one as-of date is needed");
        }
        this.dates = List.copyOf(dates.stream().distinct().sorted().toList());
    }

    public static AsOfDates of(LocalDate date) {
        return new AsOfDates(List.of(date));
    }

    public static AsOfDates of(List<LocalDate> dates) {
        return new AsOfDates(dates);
    }

    public List<LocalDate> dates() {
        return dates;
    }

    private boolean single() {
        return dates.size() == 1;
    }

    /** The row's as-of date: the literal for a single date, else the {@code as_of_date} column. */
    public Column date() {
        return single() ? new AsOf(dates.getFirst()).dateLit() : col(COLUMN);
    }

    /** Delta predicate of these dates' slices of a table whose date column is {@code column}. */
    public String slices(String column) {
        return column + " IN (" + String.join(", ", dates.stream().map(d -> "'" + d + "'").toList()) + ")";
    }

    /** Each row paired with every as-of date for which {@code condition} (of the date) holds. */
    public Dataset<Row> pair(Dataset<Row> rows, Function<Column, Column> condition) {
        if (single()) {
            return rows.filter(condition.apply(date())).withColumn(COLUMN, date());
        }
        Dataset<Row> all = datesFrame(rows.sparkSession());
        return rows.join(broadcast(all), condition.apply(all.col(COLUMN)));
    }

    /** The rows whose timestamp {@code ts} is up to the end of an as-of date, once per such date. */
    public Dataset<Row> visible(Dataset<Row> rows, Column ts) {
        return pair(rows, d -> upTo(ts, d));
    }

    /** True for timestamps up to the end of the row's as-of day; false for null timestamps. */
    public Column upTo(Column ts) {
        return upTo(ts, date());
    }

    /** True for timestamps up to the end of {@code day}; false for null timestamps. */
    public static Column upTo(Column ts, Column day) {
        return coalesce(ts.lt(date_add(day, 1).cast("timestamp")), lit(false));
    }

    /** Every row once per as-of date (the customers of a snapshot). */
    public Dataset<Row> every(Dataset<Row> rows) {
        return single() ? rows.withColumn(COLUMN, date()) : rows.crossJoin(broadcast(datesFrame(rows.sparkSession())));
    }

    /** True for days within the {@code days} days ending on the row's as-of date. */
    public Column within(Column day, int days) {
        return day.gt(date_sub(date(), days)).and(day.leq(date()));
    }

    private Dataset<Row> datesFrame(SparkSession spark) {
        return spark.createDataset(dates.stream().map(java.sql.Date::valueOf).toList(), Encoders.DATE()).toDF(COLUMN);
    }
}

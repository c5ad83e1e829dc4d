package org.crmlake;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;

/** Table contents for "a re-run changes nothing" assertions: every row, order-independent. */
public final class TableSnapshot {
    /** Columns that record when a job ran, not what it computed (as in dags/tests/test_daily_run.py). */
    public static final Set<String> RUN_TIME_COLUMNS = Set.of("ingested_at", "_ingested_at", "measured_at",
            "scored_at", "logged_at");

    private TableSnapshot() {
    }

    /** Each table's rows (without run-time columns) as sorted strings, by qualified table name. */
    public static Map<String, List<String>> of(Lake lake, List<TableDef> tables) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (TableDef t : tables) {
            var rows = lake.read(t);
            String[] stamps = Arrays.stream(rows.columns()).filter(RUN_TIME_COLUMNS::contains).toArray(String[]::new);
            out.put(t.qualifiedName(), rows.drop(stamps).collectAsList().stream().map(Row::toString).sorted().toList());
        }
        return out;
    }
}

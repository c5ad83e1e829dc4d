package org.crmlake.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Checks raw string records against the contract and types them. Adds {@code _reason} (null when
 * the record is good) and {@code _raw} (the record as received, for the quarantine table; null for
 * good records).
 * Dates outside 1900..2100 are rejected: they are typing slips, not history.
 */
final class ContractValidation {
    static final String REASON = "_reason";
    static final String RAW = "_raw";
    static final String CORRUPT = "_corrupt_record";
    private static final int MAX_SHOWN = 40;

    private ContractValidation() {
    }

    /**
     * @param raw     one string column per mapped field, named by the contract field (null when the
     *                export lacks an optional column), plus {@link #CORRUPT}
     */
    static Dataset<Row> validate(Dataset<Row> raw, ReadSpec spec) {
        List<Column> selected = new ArrayList<>();
        List<Column> reasons = new ArrayList<>();
        reasons.add(when(col(CORRUPT).isNotNull(),
                lit("malformed record: wrong number of fields, bad quoting or broken JSON")));
        for (ColumnMapping m : spec.columns()) {
            FieldSpec f = m.field();
            Column value = nullif(trim(col(f.name())), lit(""));
            Column typed = typed(value, m);
            selected.add((f.type().equals("string") ? nullif(col(f.name()), lit("")) : typed).as(f.name()));
            Column notClean = col(CORRUPT).isNull();
            if (f.required()) {
                reasons.add(when(notClean.and(value.isNull()), lit("missing required field " + f.name())));
            }
            if (f.type().equals("string") && !spec.format().equals("parquet")) { // Parquet strings are not decoded by us
                reasons.add(when(notClean.and(col(f.name()).contains("\uFFFD")),
                        lit("field " + f.name() + ": undecodable bytes (U+FFFD): is the file really " + spec.encoding()
                                + "? Re-export it, or declare its encoding in a mapping file")));
            } else {
                String expected = f.type() + (m.formats().isEmpty() ? "" : " " + m.formats());
                reasons.add(when(notClean.and(value.isNotNull()).and(typed.isNull()),
                        concat(lit("field " + f.name() + ": '"), shortened(value), lit("' is not a " + expected))));
            }
        }
        Column reason = nullif(concat_ws("; ", reasons.toArray(Column[]::new)), lit(""));
        Column rawRecord = coalesce(col(CORRUPT), to_json(struct(spec.columns().stream()
                .map(m -> col(m.field().name())).toArray(Column[]::new))));
        selected.add(reason.as(REASON));
        // Only a quarantined record needs its form as received: one JSON text per record cost CPU and cache.
        selected.add(when(reason.isNotNull(), rawRecord).as(RAW));
        return raw.select(selected.toArray(Column[]::new));
    }

    private static Column typed(Column value, ColumnMapping m) {
        return switch (m.field().type()) {
            case "int", "long", "double" -> value.try_cast(m.field().sparkType());
            case "date" -> inRange(to_date(parsed(value, m.formats())));
            case "timestamp" -> inRange(parsed(value, m.formats()));
            default -> value;
        };
    }

    private static Column parsed(Column value, List<String> formats) {
        return coalesce(formats.stream().map(f -> try_to_timestamp(value, lit(f))).toArray(Column[]::new));
    }

    private static Column inRange(Column c) {
        Column year = org.apache.spark.sql.functions.year(c);
        return when(year.between(1900, 2100), c);
    }

    private static Column shortened(Column value) {
        return when(length(value).gt(MAX_SHOWN), concat(substring(value, 1, MAX_SHOWN), lit("…"))).otherwise(value);
    }

    static Column isGood() {
        return col(REASON).isNull();
    }

    static Column isBad() {
        return not(isGood());
    }
}

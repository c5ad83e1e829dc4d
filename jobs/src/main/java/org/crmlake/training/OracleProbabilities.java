package org.crmlake.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;

/**
 * The generator's latent probability of each label, for the oracle AUC: the ceiling no model can
 * beat, since it knows each person's order rate and churn date. Orders are a Poisson process at
 * {@code order_rate_per_day} until {@code churn_date}, so
 * P(order in (c, c+h]) = 1 - exp(-rate * max(0, min(h, churn_date + 1 - (c + 1)))) and churn is
 * the complement over the churn horizon. A customer is the person most of its records belong to.
 */
public final class OracleProbabilities {
    private OracleProbabilities() {
    }

    /** customer_id -> latent probability of the model's label at the cutoff. */
    public static Map<String, Double> of(Lake lake, Path world, String model, LocalDate cutoff, int horizonDays) {
        Path records = world.resolve("truth/record_person.csv");
        Path persons = world.resolve("truth/persons.csv");
        if (!Files.isRegularFile(records) || !Files.isRegularFile(persons)) {
            throw new IllegalArgumentException("--world must be a folder made by crm generate or crm demo "
                    + "(it has truth/record_person.csv and truth/persons.csv)");
        }
        Dataset<Row> recordPerson = lake.spark().read().option("header", "true").csv(records.toString())
                .select(concat_ws(":", col("source"), col("entity"), col("record_id")).as("record_key"), col("person_id"));
        Dataset<Row> owner = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id")
                .join(recordPerson, "record_key")
                .groupBy("customer_id", "person_id").agg(count(lit(1)).as("n"))
                .groupBy("customer_id").agg(max(struct(col("n"), col("person_id"))).getField("person_id").as("person_id"));
        Dataset<Row> traits = lake.spark().read().option("header", "true").csv(persons.toString())
                .select(col("person_id"), col("order_rate_per_day").cast("double").as("rate"),
                        col("churn_date").cast("date").as("churn_date"));
        List<Row> rows = owner.join(traits, "person_id").select("customer_id", "rate", "churn_date").collectAsList();
        Map<String, Double> p = new HashMap<>();
        for (Row r : rows) {
            double rate = r.getDouble(1);
            double exposure = horizonDays;
            if (!r.isNullAt(2)) {
                long daysLeft = r.getDate(2).toLocalDate().toEpochDay() - cutoff.toEpochDay();
                exposure = Math.max(0, Math.min(horizonDays, daysLeft));
            }
            double purchase = 1 - Math.exp(-rate * exposure);
            p.put(r.getString(0), model.equals("churn") ? 1 - purchase : purchase);
        }
        return p;
    }
}

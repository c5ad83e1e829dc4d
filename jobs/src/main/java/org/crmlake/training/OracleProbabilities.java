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
 * The generator's latent probability of each label, for the oracle AUC. Orders are a Poisson process
 * at {@code order_rate_per_day} until {@code churn_date}, the last day a person may order; the churn
 * date was drawn with {@code churn_hazard_per_day}. Two oracles, by what they know:
 * <ul>
 * <li>{@link Knowledge#HINDSIGHT} knows each person's rate and future churn date, so
 * P(order in (c, c+h]) = 1 - exp(-rate * max(0, min(h, churn_date - c))). No model can beat it.
 * <li>{@link Knowledge#STATE} knows the latent state at the cutoff: the rate, the hazard and whether
 * the person has already left. Still alive, the remaining life X is exponential (memoryless), so
 * P(no order in h) = E[exp(-rate * min(h, X))] = hz/(hz+rate) (1 - e^{-(hz+rate)h}) + e^{-(hz+rate)h}.
 * Behaviour in the weeks before leaving hints at the churn date, so a model may come closer to
 * hindsight than this.
 * </ul>
 * A customer is the person most of its records belong to.
 */
public final class OracleProbabilities {
    /** What the oracle knows of each person. */
    public enum Knowledge { HINDSIGHT, STATE }

    private OracleProbabilities() {
    }

    /**
     * customer_id -> latent probability of the model's label at the cutoff; empty for
     * {@link Knowledge#STATE} on a world written before the generator recorded hazards.
     */
    public static Map<String, Double> of(Lake lake, Path world, String model, LocalDate cutoff, int horizonDays,
            Knowledge knowledge) {
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
        Dataset<Row> truth = lake.spark().read().option("header", "true").csv(persons.toString());
        boolean hasHazard = List.of(truth.columns()).contains("churn_hazard_per_day");
        if (knowledge == Knowledge.STATE && !hasHazard) {
            return Map.of();
        }
        Dataset<Row> traits = truth.select(col("person_id"), col("order_rate_per_day").cast("double").as("rate"),
                col("churn_date").cast("date").as("churn_date"),
                hasHazard ? col("churn_hazard_per_day").cast("double").as("hazard") : lit(0.0).as("hazard"));
        List<Row> rows = owner.join(traits, "person_id").select("customer_id", "rate", "churn_date", "hazard").collectAsList();
        Map<String, Double> p = new HashMap<>();
        for (Row r : rows) {
            double rate = r.getDouble(1);
            long daysLeft = r.isNullAt(2) ? Long.MAX_VALUE : r.getDate(2).toLocalDate().toEpochDay() - cutoff.toEpochDay();
            double noOrder = knowledge == Knowledge.HINDSIGHT
                    ? Math.exp(-rate * Math.max(0, Math.min(horizonDays, daysLeft)))
                    : daysLeft <= 0 ? 1 : noOrderWhileAlive(rate, r.getDouble(3), horizonDays);
            p.put(r.getString(0), model.equals("churn") ? noOrder : 1 - noOrder);
        }
        return p;
    }

    /** P(no order in h days) for someone alive now who leaves at the hazard's exponential time. */
    static double noOrderWhileAlive(double rate, double hazard, int horizonDays) {
        double total = rate + hazard;
        if (total <= 0) {
            return 1;
        }
        double survive = Math.exp(-total * horizonDays);
        return hazard / total * (1 - survive) + survive;
    }
}

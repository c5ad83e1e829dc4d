package org.crmlake.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ground truth the pipeline never reads: who is behind each record, and each person's traits. */
final class Truth implements Closeable {

    static final String RECORD_PERSON = "truth/record_person.csv";
    static final String PERSONS = "truth/persons.csv";
    static final String WORLD = "truth/world.json";

    private static final RowFormat.Csv RECORD_FORMAT =
            new RowFormat.Csv(List.of("source", "entity", "record_id", "person_id"), ',');
    private static final RowFormat.Csv PERSON_FORMAT = new RowFormat.Csv(List.of("person_id", "locale", "is_b2b",
            "engagement", "price_sensitivity", "service_experience", "life_stage", "order_rate_per_day",
            "churn_date", "p_purchase_30d", "p_churn_90d", "churn_hazard_per_day"), ',');

    private final BufferedWriter records;
    private final BufferedWriter persons;
    private final long endDay;
    private long recordRows;
    private long personRows;

    Truth(Path out, Batches batches) throws IOException {
        Files.createDirectories(out.resolve("truth"));
        this.endDay = batches.endDay();
        this.records = open(out.resolve(RECORD_PERSON), RECORD_FORMAT.header());
        this.persons = open(out.resolve(PERSONS), PERSON_FORMAT.header());
    }

    private static BufferedWriter open(Path file, String header) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(header);
        w.write('\n');
        return w;
    }

    void record(String source, String entity, String recordId, Person p) throws IOException {
        records.write(RECORD_FORMAT.line(new String[]{source, entity, recordId, p.personId()}));
        records.write('\n');
        recordRows++;
    }

    void person(Person p) throws IOException {
        String churn = p.churnDay() == Person.NO_CHURN ? null : Times.date(p.churnDay());
        persons.write(PERSON_FORMAT.line(new String[]{p.personId(), p.locale(), Boolean.toString(p.b2b()),
                f4(p.engagement()), f4(p.priceSensitivity()), f4(p.serviceExperience()), p.lifeStage(),
                String.format(Locale.ROOT, "%.6f", p.orderRate()), churn,
                f4(pPurchase(p, 30)), f4(1 - pPurchase(p, 90)), String.format(Locale.ROOT, "%.8f", p.churnHazard())}));
        persons.write('\n');
        personRows++;
    }

    /** P(order in (E, E+h]) = 1 - exp(-rate * max(0, min(h, churn_date - E))). */
    double pPurchase(Person p, int horizonDays) {
        double exposure = p.churnDay() == Person.NO_CHURN ? horizonDays
                : Math.max(0, Math.min(horizonDays, p.churnDay() - endDay));
        return 1 - Math.exp(-p.orderRate() * exposure);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    void addCounts(Map<String, Long> rowsPerFile) {
        rowsPerFile.put(RECORD_PERSON, recordRows);
        rowsPerFile.put(PERSONS, personRows);
    }

    static void writeWorld(Path out, GenerateOptions options, Batches batches, Map<String, Long> rowsPerFile)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode args = root.putObject("arguments");
        args.put("customers", options.customers());
        args.put("days", options.days());
        args.put("seed", options.seed());
        args.put("mess", options.mess());
        args.put("end_date", options.endDate().toString());
        root.put("start_date", Times.date(batches.startDay()));
        root.put("end_date", options.endDate().toString());
        root.putArray("batch_dates").addAll(batches.dates().stream()
                .map(d -> (com.fasterxml.jackson.databind.JsonNode) mapper.getNodeFactory().textNode(d.toString()))
                .toList());
        ObjectNode files = root.putObject("files");
        rowsPerFile.forEach(files::put);
        String json = mapper.writeValueAsString(root).replace("\r\n", "\n") + "\n";
        Files.writeString(out.resolve(WORLD), json, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try (persons) {
            records.close();
        }
    }
}

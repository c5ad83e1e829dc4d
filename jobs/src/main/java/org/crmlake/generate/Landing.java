package org.crmlake.generate;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** All landing files of a world, opened once and written person by person. */
final class Landing implements Closeable {

    private final Map<String, LandingFile> files = new TreeMap<>();

    Landing(Path out, Batches batches, double mess) throws IOException {
        List<LocalDate> dates = batches.dates();
        open(out, dates, batches, mess, "crm", "contacts", new LandingFile.Quirks(0.01, true));
        for (String e : List.of("owners", "leads", "opportunities", "opportunity_stages", "activities", "consents")) {
            open(out, dates, batches, mess, "crm", e, LandingFile.Quirks.NONE);
        }
        open(out, dates, batches, mess, "crm", "tickets", new LandingFile.Quirks(0.005, false));
        open(out, dates, batches, mess, "erp", "customers", new LandingFile.Quirks(0.005, false));
        open(out, dates, batches, mess, "erp", "products", LandingFile.Quirks.NONE);
        open(out, dates, batches, mess, "erp", "orders", new LandingFile.Quirks(0.005, false));
        open(out, dates, batches, mess, "erp", "order_lines", new LandingFile.Quirks(0.003, false));
        open(out, dates, batches, mess, "erp", "invoices", LandingFile.Quirks.NONE);
        open(out, dates, batches, mess, "erp", "returns", LandingFile.Quirks.NONE);
        open(out, dates, batches, mess, "calls", "calls", new LandingFile.Quirks(0.005, true));
        openWeb(out, dates, batches, mess);
    }

    private void open(Path out, List<LocalDate> dates, Batches batches, double mess, String source, String entity,
                      LandingFile.Quirks quirks) throws IOException {
        JsonNode contract = Contracts.source(source);
        char delimiter = contract.path("delimiter").asText(",").charAt(0);
        Charset charset = Charset.forName(contract.path("encoding").asText("UTF-8"));
        List<String> paths = new ArrayList<>();
        for (LocalDate d : dates) {
            paths.add("landing/" + source + "/" + d + "/" + entity + ".csv");
        }
        RowFormat format = new RowFormat.Csv(Contracts.columns(source, entity), delimiter);
        files.put(source + "/" + entity, new LandingFile(out, paths, charset, format, batches::batchOf, quirks, mess));
    }

    /** Web events of day E-1 arrive late, in batch E's folder; batch E-1's own file stays empty. */
    private void openWeb(Path out, List<LocalDate> dates, Batches batches, double mess) throws IOException {
        List<String> paths = new ArrayList<>();
        for (LocalDate d : dates) {
            paths.add("landing/web/" + d + "/events.jsonl");
        }
        LocalDate late = dates.get(2);
        paths.add("landing/web/" + dates.get(3) + "/events-late-" + late + ".jsonl");
        long lateDay = late.toEpochDay();
        RowFormat format = new RowFormat.JsonLines(Contracts.columns("web", "events"));
        files.put("web/events", new LandingFile(out, paths, Charset.forName("UTF-8"), format,
                day -> day == lateDay ? 4 : batches.batchOf(day), new LandingFile.Quirks(0.003, true), mess));
    }

    LandingFile file(String source, String entity) {
        LandingFile f = files.get(source + "/" + entity);
        if (f == null) {
            throw new IllegalArgumentException("no landing file " + source + "/" + entity);
        }
        return f;
    }

    void addCounts(Map<String, Long> rowsPerFile) {
        files.values().forEach(f -> f.addCounts(rowsPerFile));
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (LandingFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

package org.crmlake.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorldGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static GenerateResult messy;
    static GenerateResult clean;

    @BeforeAll
    static void generateWorlds() throws IOException {
        messy = generate(tmp.resolve("messy"), 300, 120, 7, 0.6);
        clean = generate(tmp.resolve("clean"), 300, 120, 7, 0.0);
    }

    static GenerateResult generate(Path out, int customers, int days, long seed, double mess) throws IOException {
        return new WorldGenerator(new GenerateOptions(customers, days, seed, mess,
                GenerateOptions.DEFAULT_END_DATE, out)).generate();
    }

    @Test
    void sameOptionsGiveSameBytesAndAnotherSeedDoesNot() throws IOException {
        Path a = tmp.resolve("det-a");
        Path b = tmp.resolve("det-b");
        generate(a, 300, 120, 42, 0.25);
        generate(a, 300, 120, 42, 0.25); // re-run into an existing folder
        generate(b, 300, 120, 42, 0.25);
        assertThat(digests(a)).isEqualTo(digests(b)).isNotEmpty();
        Path c = tmp.resolve("det-c");
        generate(c, 300, 120, 43, 0.25);
        assertThat(digests(c).get("truth/persons.csv")).isNotEqualTo(digests(a).get("truth/persons.csv"));
        assertThat(digests(c).get("landing/crm/2026-09-27/contacts.csv"))
                .isNotEqualTo(digests(a).get("landing/crm/2026-09-27/contacts.csv"));
    }

    @Test
    void layoutHasFourBatchesAndTheLateWebFile() {
        assertThat(messy.batchDates()).containsExactly(LocalDate.of(2026, 9, 27), LocalDate.of(2026, 9, 28),
                LocalDate.of(2026, 9, 29), LocalDate.of(2026, 9, 30));
        assertThat(messy.rowsPerFile()).containsKey("landing/web/2026-09-30/events-late-2026-09-29.jsonl");
        assertThat(messy.rowsPerFile().get("landing/web/2026-09-30/events-late-2026-09-29.jsonl")).isPositive();
        assertThat(messy.rowsPerFile().get("landing/web/2026-09-29/events.jsonl")).isZero();
        assertThat(messy.rowsPerFile().get("landing/erp/2026-09-27/products.csv")).isEqualTo(200L);
        assertThat(messy.rowsPerFile().get("landing/crm/2026-09-27/owners.csv")).isEqualTo(12L);
        assertThat(messy.rowsPerFile().get("landing/erp/2026-09-28/orders.csv")).isPositive();
        assertThat(Files.exists(messy.out().resolve("truth/world.json"))).isTrue();
    }

    @Test
    void csvHeadersEqualTheContractsAndCallsAreGb18030() throws IOException {
        for (String source : List.of("crm", "erp", "calls")) {
            JsonNode contract = contract(source);
            String delimiter = contract.path("delimiter").asText();
            Charset charset = Charset.forName(contract.path("encoding").asText());
            for (var entity : contract.path("entities").properties()) {
                List<String> expected = new ArrayList<>();
                entity.getValue().path("fields").forEach(f -> expected.add(f.path("name").asText()));
                for (LocalDate d : messy.batchDates()) {
                    Path file = messy.out().resolve("landing/" + source + "/" + d + "/" + entity.getKey() + ".csv");
                    String header = Files.readAllLines(file, charset).getFirst();
                    assertThat(List.of(header.split(java.util.regex.Pattern.quote(delimiter), -1)))
                            .as(file.toString()).isEqualTo(expected);
                }
            }
        }
        String calls = Files.readString(messy.out().resolve("landing/calls/2026-09-27/calls.csv"),
                Charset.forName("GB18030"));
        assertThat(calls.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN))
                .isTrue();
        byte[] raw = Files.readAllBytes(messy.out().resolve("landing/calls/2026-09-27/calls.csv"));
        assertThat(new String(raw, StandardCharsets.UTF_8)).isNotEqualTo(calls);
    }

    @Test
    void everyPersonRecordIdIsInTheGroundTruth() throws IOException {
        Set<String> truth = new HashSet<>();
        List<String> truthLines = Files.readAllLines(messy.out().resolve("truth/record_person.csv"));
        for (String line : truthLines.subList(1, truthLines.size())) {
            String[] f = line.split(",");
            truth.add(f[0] + "/" + f[2]);
        }
        int checked = 0;
        for (LocalDate d : messy.batchDates()) {
            for (String id : firstColumn(messy.out().resolve("landing/crm/" + d + "/contacts.csv"), ",", StandardCharsets.UTF_8)) {
                assertThat(truth).contains("crm/" + id);
                checked++;
            }
            for (String id : firstColumn(messy.out().resolve("landing/erp/" + d + "/customers.csv"), ";", StandardCharsets.UTF_8)) {
                assertThat(truth).contains("erp/" + id);
                checked++;
            }
            for (String id : firstColumn(messy.out().resolve("landing/calls/" + d + "/calls.csv"), ",", Charset.forName("GB18030"))) {
                assertThat(truth).contains("calls/" + id);
                checked++;
            }
        }
        for (JsonNode e : events(messy.out())) {
            assertThat(truth).contains("web/" + e.path("cookie_id").asText());
            if (e.hasNonNull("user_id")) {
                assertThat(truth).contains("web/" + e.path("user_id").asText());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void messZeroIsWellFormedAndHighMessHasMalformedLines() throws IOException {
        assertThat(malformedCsvRows(clean.out(), "crm", "contacts", ",", StandardCharsets.UTF_8)).isZero();
        assertThat(malformedCsvRows(clean.out(), "calls", "calls", ",", Charset.forName("GB18030"))).isZero();
        assertThat(brokenJsonLines(clean.out())).isZero();

        assertThat(malformedCsvRows(messy.out(), "crm", "contacts", ",", StandardCharsets.UTF_8)).isPositive();
        assertThat(malformedCsvRows(messy.out(), "calls", "calls", ",", Charset.forName("GB18030"))).isPositive();
        assertThat(brokenJsonLines(messy.out())).isPositive();
    }

    @Test
    void churnersBuyLessInTheLastNinetyDays() throws IOException {
        Path out = tmp.resolve("signal");
        GenerateResult r = generate(out, 2000, 365, 11, 0.0);
        Map<String, String> customerToPerson = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("truth/record_person.csv"))) {
            String[] f = line.split(",");
            if (f[0].equals("erp")) {
                customerToPerson.put(f[2], f[3]);
            }
        }
        LocalDate end = GenerateOptions.DEFAULT_END_DATE;
        String since = end.minusDays(90) + " 00:00:00";
        Map<String, Integer> recentOrders = new HashMap<>();
        for (LocalDate d : r.batchDates()) {
            List<String> lines = Files.readAllLines(out.resolve("landing/erp/" + d + "/orders.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(";", -1);
                if (f[2].compareTo(since) >= 0) {
                    recentOrders.merge(customerToPerson.get(f[1]), 1, Integer::sum);
                }
            }
        }
        double churnSum = 0, staySum = 0;
        int churners = 0, stayers = 0;
        List<String> persons = Files.readAllLines(out.resolve("truth/persons.csv"));
        for (String line : persons.subList(1, persons.size())) {
            String[] f = line.split(",", -1);
            int orders = recentOrders.getOrDefault(f[0], 0);
            if (f[8].isEmpty()) {
                stayers++;
                staySum += orders;
            } else if (LocalDate.parse(f[8]).isBefore(end.minusDays(30))) {
                churners++;
                churnSum += orders;
            }
        }
        assertThat(churners).isGreaterThan(100);
        assertThat(churners + stayers).isLessThanOrEqualTo(2000);
        assertThat(churnSum / churners).isLessThan(0.6 * (staySum / stayers));
    }

    @Test
    void twentyThousandPersonsStreamInBoundedMemory() throws IOException {
        Path out = tmp.resolve("big");
        List<String> progress = new ArrayList<>();
        GenerateResult r = new WorldGenerator(new GenerateOptions(20_000, 60, 3, 0.25,
                GenerateOptions.DEFAULT_END_DATE, out)).onProgress(progress::add).generate();
        assertThat(r.persons()).isEqualTo(20_000);
        assertThat(r.rowsPerFile().get("truth/persons.csv")).isEqualTo(20_000L);
        assertThat(progress).contains("generated 10000/20000 customers", "generated 20000/20000 customers");
    }

    // --- helpers ---

    private static JsonNode contract(String source) throws IOException {
        try (InputStream in = WorldGeneratorTest.class.getResourceAsStream("/contracts/" + source + ".yaml")) {
            return new YAMLMapper().readTree(in);
        }
    }

    private static List<String> firstColumn(Path file, String delimiter, Charset charset) throws IOException {
        List<String> lines = Files.readAllLines(file, charset);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(delimiter, -1)[0]).toList();
    }

    /** Rows whose field count differs from the header's (fields here never hold line breaks). */
    private static int malformedCsvRows(Path out, String source, String entity, String delimiter, Charset cs)
            throws IOException {
        int bad = 0;
        for (Path file : files(out.resolve("landing/" + source), entity + ".csv")) {
            List<String> lines = Files.readAllLines(file, cs);
            int width = fieldCount(lines.getFirst(), delimiter.charAt(0));
            for (String line : lines.subList(1, lines.size())) {
                if (fieldCount(line, delimiter.charAt(0)) != width) {
                    bad++;
                }
            }
        }
        return bad;
    }

    private static int fieldCount(String line, char delimiter) {
        int count = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                count++;
            }
        }
        return count;
    }

    private static int brokenJsonLines(Path out) throws IOException {
        int broken = 0;
        for (Path file : files(out.resolve("landing/web"), ".jsonl")) {
            for (String line : Files.readAllLines(file)) {
                try {
                    JSON.readTree(line);
                } catch (IOException e) {
                    broken++;
                }
            }
        }
        return broken;
    }

    private static List<JsonNode> events(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (Path file : files(out.resolve("landing/web"), ".jsonl")) {
            for (String line : Files.readAllLines(file)) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    // broken lines are the pipeline's quarantine case, not an id to check
                }
            }
        }
        return events;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

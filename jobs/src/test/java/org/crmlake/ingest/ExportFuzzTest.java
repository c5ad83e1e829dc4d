package org.crmlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmlake.lake.SparkSessions;

/**
 * Fuzzes the path that decides, for one export file, "stop with a message" or "each record kept or
 * quarantined with a reason": valid exports mutated at random (quotes, delimiters, newlines, BOMs,
 * NULs, invalid UTF-8 bytes, huge cells, truncation), and mutated mapping files. The only exceptions
 * allowed are IngestException / MappingException naming the file. Crashes found are kept below as
 * {@code @Example}s.
 */
class ExportFuzzTest {
    private static final String CONTACTS = HostileInputTest.CONTACTS;
    private static final String VALID_CSV = CONTACTS + "\n"
            + "C1,,Ann,Lee,ann@example.com,+1 415 555 0132,1980-02-01,\"1 Main St\nSuite 2\",SF,94105,US,O1,2026-01-01 10:00:00,\n"
            + "C2,\"Acme, Inc.\",\"Bob \"\"B\"\"\",张,,,,,上海,,CN,O1,2026-01-02 10:00:00,2026-01-03 10:00:00\n"
            + "C3,,Kim,Park,,,,,,,KR,O2,2026-01-03 10:00:00,\n";
    private static final String VALID_JSONL = String.join("\n",
            "{\"event_id\":\"E1\",\"event_ts\":\"2026-09-30 10:00:00\",\"cookie_id\":\"ck1\",\"event_type\":\"page_view\"}",
            "{\"event_id\":\"E2\",\"event_ts\":\"2026-09-30 10:01:00\",\"cookie_id\":\"ck1\",\"event_type\":\"login\",\"email\":\"a@b.c\",\"first_name\":\"伟\"}") + "\n";
    private static final String VALID_MAPPING = """
            source: crm
            format: csv
            delimiter: "|"
            encoding: ISO-8859-1
            entities:
              contacts:
                file: Contacts_Export*.csv
                columns:
                  contact_id: Record ID
                  last_name: Last Name
                  created_at: {from: Create Date, formats: ["dd/MM/yyyy HH:mm", "dd/MM/yyyy"]}
              owners:
                columns: {owner_name: Name}
            """;
    private static final String[] PIECES = {"\"", ",", ";", "|", "\n", "\r\n", "\r", "\uFEFF", "\u0000", "张伟", "\"\"", ",\"",
            "\"\n", "x".repeat(120_000), "2026-13-45", "", "\\", "{", "}", "[", ":", "null", "\uFFFD", "\t", "'", "- ", "#",
            "{x: [", "&a *a", "!!binary", "formats: 5", "YYYY"};

    private static SparkSession spark;
    private static FileSystem localFs;
    private static Path dir;

    @BeforeContainer
    static void start() throws IOException {
        System.setProperty("crm.shuffle.partitions", "2");
        dir = Files.createTempDirectory("export-fuzz");
        localFs = FileSystem.getLocal(new Configuration());
    }

    private static SparkSession spark() {
        if (spark == null) {
            System.setProperty("crm.shuffle.partitions", "2");
            spark = SparkSessions.getOrCreate("crm-tests");
        }
        return spark;
    }

    /** One edit of a valid file: insert a piece of text, insert raw bytes, delete, truncate, overwrite a byte. */
    record Mutation(int kind, double at, String piece, byte[] bytes) {
        byte[] apply(byte[] in) {
            int pos = (int) Math.floor(at * in.length);
            byte[] insert = kind == 0 ? piece.getBytes(StandardCharsets.UTF_8) : bytes;
            return switch (kind) {
                case 0, 1 -> concat(slice(in, 0, pos), insert, slice(in, pos, in.length));
                case 2 -> concat(slice(in, 0, pos), slice(in, Math.min(in.length, pos + 1 + (bytes[0] & 7)), in.length));
                case 3 -> slice(in, 0, pos);
                default -> {
                    byte[] out = in.clone();
                    if (pos < out.length) {
                        out[pos] = bytes[0];
                    }
                    yield out;
                }
            };
        }

        @Override
        public String toString() {
            return "Mutation[" + List.of("insert", "insertBytes", "delete", "truncate", "overwrite").get(kind) + " at "
                    + String.format("%.3f", at) + (kind == 0 ? " '" + (piece.length() > 20 ? piece.substring(0, 20) + "…" : piece) + "'"
                    : " " + java.util.HexFormat.of().formatHex(bytes)) + "]";
        }
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, Math.max(from, to));
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> m = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of(PIECES),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6)).as(Mutation::new);
        return m.list().ofMinSize(1).ofMaxSize(5);
    }

    private static byte[] mutate(String valid, List<Mutation> ms) {
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        for (Mutation m : ms) {
            b = m.apply(b);
        }
        return b;
    }

    private static Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ records (Spark: few tries)

    /** Reads one mutated file as ingest does; every record is kept with its required fields or quarantined with a reason. */
    private static void readsOrStopsWithTheFile(String source, String entity, String name, byte[] content) {
        ReadSpec spec = SourceMapping.builtIn(source).specs().get(entity);
        Path file = write(name, content);
        String display = source + "/fuzz/" + name;
        List<Row> rows;
        try {
            var raw = new ExportReader(spark(), localFs).read(new org.apache.hadoop.fs.Path(file.toUri()), display, spec);
            rows = ContractValidation.validate(raw, spec).collectAsList();
        } catch (IngestException stop) {
            assertThat(stop.getMessage()).startsWith(display + ":");
            return;
        }
        long lines = new String(content, StandardCharsets.UTF_8).lines().count();
        assertThat((long) rows.size()).as("no more records than lines").isLessThanOrEqualTo(lines);
        List<String> required = spec.columns().stream().filter(c -> c.field().required()).map(c -> c.field().name()).toList();
        for (Row r : rows) {
            String reason = r.getAs(ContractValidation.REASON);
            if (reason == null) {
                for (String f : required) {
                    assertThat(r.<Object>getAs(f)).as("kept record has " + f).isNotNull();
                }
            } else {
                assertThat(reason).isNotBlank();
                assertThat(r.<String>getAs(ContractValidation.RAW)).as("quarantined record keeps its raw text").isNotNull();
            }
        }
    }

    @Property(tries = 30)
    void aMutatedCsvExportStopsWithTheFileOrKeepsAndQuarantinesRecords(@ForAll("mutations") List<Mutation> ms) {
        readsOrStopsWithTheFile("crm", "contacts", "contacts.csv", mutate(VALID_CSV, ms));
    }

    @Property(tries = 15)
    void aMutatedGb18030ExportStopsWithTheFileOrKeepsAndQuarantinesRecords(@ForAll("mutations") List<Mutation> ms) {
        String calls = HostileInputTest.CALLS + "\nK1,13800138000,张伟,A1,2026-09-01 09:00:00,60,inbound,,,\"很好,\"\"真的\"\"\",5,\n";
        byte[] valid = calls.getBytes(java.nio.charset.Charset.forName("GB18030"));
        byte[] b = valid;
        for (Mutation m : ms) {
            b = m.apply(b);
        }
        readsOrStopsWithTheFile("calls", "calls", "calls.csv", b);
    }

    @Property(tries = 15)
    void aMutatedJsonLinesExportKeepsAndQuarantinesRecords(@ForAll("mutations") List<Mutation> ms) {
        readsOrStopsWithTheFile("web", "events", "events.jsonl", mutate(VALID_JSONL, ms));
    }

    // ------------------------------------------------------------------ headers and mapping files (no Spark: many tries)

    @Property(tries = 1000)
    void anyFirstLineIsAHeaderOrStopsWithTheFile(@ForAll("mutations") List<Mutation> ms) {
        ReadSpec spec = SourceMapping.builtIn("crm").specs().get("contacts");
        Path file = write("header.csv", mutate(CONTACTS + "\nC1,,Ann,Lee,,,,,,,US,O1,2026-01-01 10:00:00,\n", ms));
        try {
            List<String> header = new ExportReader(null, localFs).header(new org.apache.hadoop.fs.Path(file.toUri()), "crm/fuzz/header.csv", spec);
            assertThat(header).doesNotContainNull();
        } catch (IngestException stop) {
            assertThat(stop.getMessage()).startsWith("crm/fuzz/header.csv:");
        }
    }

    @Property(tries = 1000)
    void aMutatedMappingFileLoadsOrIsRejectedWithItsName(@ForAll("mutations") List<Mutation> ms) {
        Path file = write("mapping.yaml", mutate(VALID_MAPPING, ms));
        SourceMapping m;
        try {
            m = SourceMapping.fromFile(file);
        } catch (SourceMapping.MappingException rejected) {
            assertThat(rejected.getMessage()).startsWith("mapping file " + file);
            return;
        }
        for (ReadSpec spec : m.specs().values()) {
            assertThat(spec.delimiter()).hasSize(1);
            assertThat(java.nio.charset.Charset.isSupported(spec.encoding())).isTrue();
            for (ColumnMapping c : spec.columns()) {
                boolean dated = c.field().type().equals("date") || c.field().type().equals("timestamp");
                assertThat(c.formats().isEmpty()).as(c.field().name() + " formats").isEqualTo(!dated);
            }
        }
    }

    @Property(tries = 1000)
    void utf8TextWithThreeNonAsciiCharactersIsRecognisedAsUtf8(
            @ForAll @net.jqwik.api.constraints.CharRange(from = '\u0000', to = '\uD7FF')
            @net.jqwik.api.constraints.StringLength(min = 3, max = 40) String text) {
        net.jqwik.api.Assume.that(text.codePoints().filter(c -> c >= 0x80).count() >= 3);
        assertThat(ExportReader.looksLikeUtf8(text.getBytes(StandardCharsets.UTF_8), false)).isTrue();
    }

    @Example
    void gb18030TextIsNotTakenForUtf8() {
        java.nio.charset.Charset gb = java.nio.charset.Charset.forName("GB18030");
        assertThat(ExportReader.looksLikeUtf8("伟".getBytes(gb), false)).as("伟 is CE B0 in GB18030, valid UTF-8").isFalse();
        assertThat(ExportReader.looksLikeUtf8("张伟,很好,我的订单还没到".getBytes(gb), false)).isFalse();
        assertThat(ExportReader.looksLikeUtf8("call_id,agent\nK1,A1\n".getBytes(gb), false)).as("ASCII only").isFalse();
    }

    // ------------------------------------------------------------------ crashes found, kept as regressions

    /** Found by aMutatedMappingFileLoadsOrIsRejectedWithItsName (try 551, seed 2933495060536624145, shrunk to one
     * inserted quote): Charset.isSupported threw IllegalCharsetNameException instead of a MappingException. */
    @Example
    void anEncodingNameWithAQuoteIsAMappingMistake() {
        aMutatedMappingFileLoadsOrIsRejectedWithItsName(List.of(new Mutation(0, 0.170, "\"", new byte[]{0})));
        Path file = write("quote-in-encoding.yaml", "source: crm\nencoding: ISO\"-8859-1\n".getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SourceMapping.fromFile(file))
                .isInstanceOf(SourceMapping.MappingException.class).hasMessageContaining("encoding 'ISO\"-8859-1' is unknown");
    }

    @Example
    void aHeaderCellLongerThanTheParserLimitStopsWithTheFile() {
        readsOrStopsWithTheFile("crm", "contacts", "long-header.csv",
                (CONTACTS + ",\"" + "h".repeat(120_000) + "\"\nC1,,Ann,Lee,,,,,,,US,O1,2026-01-01 10:00:00,,x\n").getBytes(StandardCharsets.UTF_8));
    }
}

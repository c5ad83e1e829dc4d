package org.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one export file into raw string columns named by contract field, plus
 * {@code _corrupt_record} for lines Spark could not parse. CSV columns are matched by header name,
 * so reordered or extra columns are fine; a missing required column stops with the file and the fix.
 */
final class ExportReader {
    private final SparkSession spark;
    private final FileSystem fs;

    ExportReader(SparkSession spark, FileSystem fs) {
        this.spark = spark;
        this.fs = fs;
    }

    Dataset<Row> read(Path file, String displayName, ReadSpec spec) {
        return switch (spec.format()) {
            case "csv" -> readCsv(file, displayName, spec);
            case "jsonl" -> readJson(file, spec);
            case "parquet" -> readParquet(file, displayName, spec);
            default -> throw new IngestException(displayName + ": format " + spec.format() + " is not supported");
        };
    }

    private Dataset<Row> readCsv(Path file, String displayName, ReadSpec spec) {
        checkEncoding(file, displayName, spec);
        List<String> header = header(file, displayName, spec);
        if (header.isEmpty()) {
            return emptyRaw(spec);
        }
        checkColumns(header, displayName, spec);
        StructType schema = new StructType();
        for (int i = 0; i < header.size(); i++) {
            schema = schema.add("c" + i, DataTypes.StringType);
        }
        schema = schema.add(ContractValidation.CORRUPT, DataTypes.StringType);
        Dataset<Row> df = spark.read().format("csv").schema(schema)
                .option("header", "true")
                .option("sep", spec.delimiter())
                .option("encoding", spec.encoding())
                .option("multiLine", "true") // quoted fields may hold newlines (transcripts, addresses)
                .option("escape", "\"")
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", ContractValidation.CORRUPT)
                .load(file.toString());
        List<Column> cols = new ArrayList<>();
        for (ColumnMapping m : spec.columns()) {
            int idx = header.indexOf(m.sourceColumn());
            cols.add((idx >= 0 ? col("c" + idx) : lit(null).cast(DataTypes.StringType)).as(m.field().name()));
        }
        cols.add(col(ContractValidation.CORRUPT));
        return spread(df.select(cols.toArray(Column[]::new)), file, displayName);
    }

    /**
     * A multi-line CSV file cannot be split, so Spark parses it in one task, and everything after
     * the parse (validation, hashing, encryption, the write) would stay in that task: a 260 MB
     * export kept one core of two busy for minutes. The parsed rows are spread over as many
     * partitions as Spark would split a splittable file of that size into (its own rule:
     * maxPartitionBytes, but at least one partition per core above the 4 MB open cost).
     */
    private Dataset<Row> spread(Dataset<Row> rows, Path file, String displayName) {
        long bytes;
        try {
            bytes = fs.getFileStatus(file).getLen();
        } catch (IOException e) {
            throw new IngestException(displayName + ": cannot be read (" + e.getMessage() + ")", e);
        }
        long maxPartitionBytes = org.apache.spark.network.util.JavaUtils.byteStringAsBytes(
                spark.conf().get("spark.sql.files.maxPartitionBytes", "128m"));
        long openCost = org.apache.spark.network.util.JavaUtils.byteStringAsBytes(
                spark.conf().get("spark.sql.files.openCostInBytes", "4m"));
        int cores = spark.sparkContext().defaultParallelism();
        long splitBytes = Math.min(maxPartitionBytes, Math.max(openCost, bytes / Math.max(cores, 1)));
        int partitions = (int) Math.min(10_000, (bytes + splitBytes - 1) / splitBytes);
        return partitions > 1 ? rows.repartition(partitions) : rows;
    }

    private Dataset<Row> readJson(Path file, ReadSpec spec) {
        StructType schema = new StructType();
        for (String c : new LinkedHashSet<>(spec.columns().stream().map(ColumnMapping::sourceColumn).toList())) {
            schema = schema.add(c, DataTypes.StringType);
        }
        schema = schema.add(ContractValidation.CORRUPT, DataTypes.StringType);
        Dataset<Row> df = spark.read().format("json").schema(schema)
                .option("encoding", spec.encoding())
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", ContractValidation.CORRUPT)
                .load(file.toString());
        List<Column> cols = new ArrayList<>();
        for (ColumnMapping m : spec.columns()) {
            cols.add(col("`" + m.sourceColumn() + "`").as(m.field().name()));
        }
        cols.add(col(ContractValidation.CORRUPT));
        return df.select(cols.toArray(Column[]::new));
    }

    private Dataset<Row> readParquet(Path file, String displayName, ReadSpec spec) {
        Dataset<Row> df = spark.read().parquet(file.toString());
        List<String> present = Arrays.asList(df.columns());
        checkColumns(present, displayName, spec);
        List<Column> cols = new ArrayList<>();
        for (ColumnMapping m : spec.columns()) {
            cols.add((present.contains(m.sourceColumn()) ? col("`" + m.sourceColumn() + "`").cast(DataTypes.StringType)
                    : lit(null).cast(DataTypes.StringType)).as(m.field().name()));
        }
        cols.add(lit(null).cast(DataTypes.StringType).as(ContractValidation.CORRUPT));
        return df.select(cols.toArray(Column[]::new));
    }

    private Dataset<Row> emptyRaw(ReadSpec spec) {
        StructType schema = new StructType();
        for (ColumnMapping m : spec.columns()) {
            schema = schema.add(m.field().name(), DataTypes.StringType);
        }
        return spark.createDataFrame(List.of(), schema.add(ContractValidation.CORRUPT, DataTypes.StringType));
    }

    private static void checkColumns(List<String> header, String displayName, ReadSpec spec) {
        List<String> missing = spec.columns().stream().filter(m -> m.field().required())
                .map(ColumnMapping::sourceColumn).filter(c -> !header.contains(c)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String hint = header.size() == 1 && header.get(0).length() > 20
                ? " The header has a single column: is the delimiter '" + spec.delimiter() + "' right?" : "";
        throw new IngestException(displayName + ": required column(s) " + missing + " of the " + spec.source() + " "
                + spec.entity() + " contract are not in the header " + header + "." + hint
                + " Fix the export, or map the columns in a mapping file (--mapping, see docs/MAPPING.md).");
    }

    private static final int MAX_HEADER_CELL = 100_000;
    private static final int SNIFF_BYTES = 1 << 16;

    /**
     * An export in the wrong encoding decodes without error into mojibake, so look at the first
     * bytes: a UTF-8 byte-order mark, or non-ASCII text that is valid UTF-8, in a file whose
     * contract says another encoding (GB18030 for calls) means the file is UTF-8: stop and say so.
     * (The reverse, GB18030 read as UTF-8, shows as undecodable bytes and is quarantined per record.)
     */
    private void checkEncoding(Path file, String displayName, ReadSpec spec) {
        Charset declared = Charset.forName(spec.encoding());
        if (declared.equals(StandardCharsets.UTF_8) || declared.name().startsWith("UTF-16") || declared.name().startsWith("UTF-32")) {
            return;
        }
        byte[] head;
        try (var in = fs.open(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw new IngestException(displayName + ": cannot be read (" + e.getMessage() + ")", e);
        }
        String fix = " Re-export it as " + declared.name() + ", or read it as UTF-8 with a mapping file"
                + " ('encoding: UTF-8', --mapping, see docs/MAPPING.md).";
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            throw new IngestException(displayName + ": starts with a UTF-8 byte-order mark, but " + spec.source()
                    + " exports are " + declared.name() + "." + fix);
        }
        if (looksLikeUtf8(head, head.length == SNIFF_BYTES)) {
            throw new IngestException(displayName + ": is UTF-8 (its non-ASCII text is valid UTF-8), but " + spec.source()
                    + " exports are " + declared.name() + "." + fix);
        }
    }

    /**
     * True when the bytes hold at least three multi-byte UTF-8 sequences and nothing that is not
     * UTF-8. A few GB18030 characters can happen to form valid UTF-8 (伟 is CE B0); several in a row
     * practically cannot, so one or two stray sequences do not stop a file.
     */
    static boolean looksLikeUtf8(byte[] b, boolean truncated) {
        int multiByte = 0;
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int extra = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (extra < 0) {
                return false;
            }
            if (i + extra >= b.length) {
                return truncated && multiByte >= 3; // a sequence cut by the sample's end
            }
            for (int k = 1; k <= extra; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            // Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF. GB18030 text
            // often forms such sequences, so refusing them keeps short Chinese names from passing as UTF-8.
            int second = b[i + Math.min(extra, 1)] & 0xFF;
            if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) || (c == 0xF0 && second < 0x90)
                    || (c == 0xF4 && second > 0x8F)) {
                return false;
            }
            multiByte += extra > 0 ? 1 : 0;
            i += extra + 1;
        }
        return multiByte >= 3;
    }

    /** The header line, decoded with the export's encoding, without a UTF-8 byte-order mark. */
    List<String> header(Path file, String displayName, ReadSpec spec) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), Charset.forName(spec.encoding())))) {
            String line = r.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line == null || line.isBlank()) {
                for (String next; (next = r.readLine()) != null; ) {
                    if (!next.isBlank()) { // a header further down would be read as data: stop instead of losing the file
                        throw new IngestException(displayName + ": the first line is blank, but the file has content;"
                                + " the header must be the first line. Remove the leading blank line(s) and ingest again.");
                    }
                }
                return List.of(); // empty or blank: no rows
            }
            CsvParserSettings settings = new CsvParserSettings();
            settings.getFormat().setDelimiter(spec.delimiter().charAt(0));
            settings.setMaxCharsPerColumn(MAX_HEADER_CELL);
            settings.setErrorContentLength(0);
            String[] cells;
            try {
                cells = new CsvParser(settings).parseLine(line);
            } catch (com.univocity.parsers.common.TextParsingException e) {
                throw new IngestException(displayName + ": the header line cannot be parsed (a column name longer than "
                        + MAX_HEADER_CELL + " characters, or more than 512 columns): is it an export of this kind, and is"
                        + " the first line its header?", e);
            }
            List<String> header = new ArrayList<>();
            for (String c : cells == null ? new String[0] : cells) {
                header.add(c == null ? "" : c.trim());
            }
            return header;
        } catch (IOException e) {
            throw new IngestException(displayName + ": cannot read the header (" + e.getMessage() + ")", e);
        }
    }
}

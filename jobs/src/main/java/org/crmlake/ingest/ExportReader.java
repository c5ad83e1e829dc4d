package org.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
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
        return df.select(cols.toArray(Column[]::new));
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

    /** The header line, decoded with the export's encoding, without a UTF-8 byte-order mark. */
    private List<String> header(Path file, String displayName, ReadSpec spec) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), Charset.forName(spec.encoding())))) {
            String line = r.readLine();
            if (line == null) {
                return List.of();
            }
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            CsvParserSettings settings = new CsvParserSettings();
            settings.getFormat().setDelimiter(spec.delimiter().charAt(0));
            settings.setMaxCharsPerColumn(100_000);
            String[] cells = new CsvParser(settings).parseLine(line);
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

package org.crmlake.models;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes the plain CSV form of {@link LabeledData}: comma-separated, a header line, no
 * quoting (feature tables are numeric; ids must not contain commas). Empty cells and "NaN" are missing.
 */
final class FeatureCsv {

    private FeatureCsv() {}

    static LabeledData read(Path file, String labelColumn, String idColumn) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new IllegalArgumentException(
                        file + " is empty; expected a header line with '" + labelColumn + "'");
            }
            List<String> header =
                    Arrays.stream(headerLine.split(",", -1)).map(String::strip).toList();
            int label = header.indexOf(labelColumn);
            if (label < 0) {
                throw new IllegalArgumentException(
                        file + " has no label column '" + labelColumn + "'; columns are " + header);
            }
            int id = idColumn == null ? -1 : header.indexOf(idColumn);
            if (idColumn != null && id < 0) {
                throw new IllegalArgumentException(
                        file + " has no id column '" + idColumn + "'; columns are " + header);
            }
            List<Integer> featureColumns = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (c != label && c != id) {
                    featureColumns.add(c);
                }
            }
            List<double[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != header.size()) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + lineNo
                                    + ": "
                                    + cells.length
                                    + " cells but the header has "
                                    + header.size());
                }
                double[] row = new double[featureColumns.size()];
                for (int j = 0; j < row.length; j++) {
                    int c = featureColumns.get(j);
                    row[j] = number(cells[c], file, lineNo, header.get(c));
                }
                double y = number(cells[label], file, lineNo, labelColumn);
                if (y != 0 && y != 1) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + lineNo
                                    + " column '"
                                    + labelColumn
                                    + "': label must be 0 or 1, got '"
                                    + cells[label].strip()
                                    + "'");
                }
                rows.add(row);
                labels.add((int) y);
                if (id >= 0) {
                    ids.add(cells[id].strip());
                }
            }
            List<String> names = featureColumns.stream().map(header::get).toList();
            return new LabeledData(
                    names,
                    rows.toArray(double[][]::new),
                    labels.stream().mapToInt(Integer::intValue).toArray(),
                    id >= 0 ? ids.toArray(String[]::new) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feature CSV " + file, e);
        }
    }

    static void write(LabeledData data, Path file, String labelColumn, String idColumn) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            boolean withIds = data.ids() != null;
            out.write(
                    (withIds ? idColumn + "," : "")
                            + String.join(",", data.features())
                            + ","
                            + labelColumn);
            out.newLine();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < data.rows(); i++) {
                line.setLength(0);
                if (withIds) {
                    line.append(data.ids()[i]).append(',');
                }
                for (double v : data.x()[i]) {
                    // Double.toString round-trips exactly, so re-read rows score identically.
                    line.append(Double.isNaN(v) ? "" : Double.toString(v)).append(',');
                }
                line.append(data.y()[i]);
                out.write(line.toString());
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature CSV " + file, e);
        }
    }

    private static double number(String cell, Path file, int lineNo, String column) {
        String text = cell.strip();
        if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    file
                            + " line "
                            + lineNo
                            + " column '"
                            + column
                            + "': '"
                            + text
                            + "' is not a number; feature columns must be numeric (empty means missing)",
                    e);
        }
    }
}

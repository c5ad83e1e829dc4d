package org.crmlake.ingest;

import java.util.List;

/**
 * How to read one entity's files from a batch folder: format, delimiter, encoding, the file name
 * pattern and, for each contract field, the export column it comes from.
 */
public record ReadSpec(String source, String entity, String format, String delimiter, String encoding,
                       String filePattern, List<ColumnMapping> columns) {
    public ReadSpec {
        columns = List.copyOf(columns);
    }

    public boolean isCsv() {
        return format.equals("csv");
    }
}

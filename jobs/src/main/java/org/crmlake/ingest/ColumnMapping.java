package org.crmlake.ingest;

import java.util.List;

/** Where a contract field comes from in an export: the export's column name and its date formats. */
public record ColumnMapping(FieldSpec field, String sourceColumn, List<String> formats) {
    public ColumnMapping {
        formats = List.copyOf(formats);
    }
}

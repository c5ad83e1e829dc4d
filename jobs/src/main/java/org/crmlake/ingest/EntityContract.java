package org.crmlake.ingest;

import java.util.List;
import java.util.Optional;

/** One file kind of a source (e.g. crm contacts): file name pattern, key and fields. */
public record EntityContract(String name, String file, List<String> key, List<FieldSpec> fields) {
    public EntityContract {
        key = List.copyOf(key);
        fields = List.copyOf(fields);
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}

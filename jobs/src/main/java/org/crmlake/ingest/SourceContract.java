package org.crmlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a source's export must contain, declared once in {@code contracts/<source>.yaml}: the
 * generator writes it, ingest validates against it, bronze tables take their schema from it.
 */
public record SourceContract(String source, String format, String delimiter, String encoding,
                             Map<String, EntityContract> entities) {

    public static final List<String> SOURCES = List.of("crm", "erp", "web", "calls");

    public EntityContract entity(String name) {
        EntityContract e = entities.get(name);
        if (e == null) {
            throw new IllegalArgumentException("source " + source + " has no entity '" + name
                    + "'; known entities: " + entities.keySet());
        }
        return e;
    }

    public static SourceContract load(String source) {
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("unknown source '" + source + "'; use one of " + SOURCES);
        }
        try (InputStream in = SourceContract.class.getResourceAsStream("/contracts/" + source + ".yaml")) {
            return parse(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in contract for " + source, e);
        }
    }

    static SourceContract parse(JsonNode root) {
        Map<String, EntityContract> entities = new LinkedHashMap<>();
        root.get("entities").properties().forEach(en -> {
            JsonNode e = en.getValue();
            List<String> key = new ArrayList<>();
            e.get("key").forEach(k -> key.add(k.asText()));
            List<FieldSpec> fields = new ArrayList<>();
            e.get("fields").forEach(f -> fields.add(new FieldSpec(f.get("name").asText(),
                    f.get("type").asText(), f.path("required").asBoolean(false))));
            entities.put(en.getKey(), new EntityContract(en.getKey(), e.get("file").asText(), key, fields));
        });
        return new SourceContract(root.get("source").asText(), root.get("format").asText(),
                root.path("delimiter").asText(","), root.path("encoding").asText("UTF-8"), entities);
    }
}

package org.crmlake.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads column lists from the source contracts so the generator cannot drift from them. */
final class Contracts {

    private Contracts() {
    }

    static JsonNode source(String source) {
        String resource = "/contracts/" + source + ".yaml";
        try (InputStream in = Contracts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing contract resource " + resource);
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract " + resource, e);
        }
    }

    static List<String> columns(String source, String entity) {
        JsonNode fields = source(source).path("entities").path(entity).path("fields");
        if (!fields.isArray() || fields.isEmpty()) {
            throw new IllegalStateException("contract " + source + " has no entity " + entity);
        }
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.path("name").asText()));
        return List.copyOf(names);
    }
}

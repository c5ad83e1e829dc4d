package org.crmlake.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.crmlake.ingest.SourceContract;

/** One configured data-quality check: a measure of a field of a source entity and its minimum. */
public record QualityCheck(String source, String entity, String field, String metric, double min) {
    static final Set<String> METRICS = Set.of("parse_rate", "completeness", "validity", "uniqueness");

    public QualityCheck {
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("quality check " + source + "." + entity + "." + field + ": metric '"
                    + metric + "' is not one of " + METRICS);
        }
        if (min < 0 || min > 1) {
            throw new IllegalArgumentException("quality check " + source + "." + entity + "." + field
                    + ": min must be a share between 0 and 1, got " + min);
        }
        var contract = SourceContract.load(source).entity(entity);
        if (!field.equals("*") && contract.field(field).isEmpty()) {
            throw new IllegalArgumentException("quality check names field " + source + "." + entity + "." + field
                    + ", which is not in the contract");
        }
        if (metric.equals("validity") && Validity.of(field) == null) {
            throw new IllegalArgumentException("quality check " + source + "." + entity + "." + field
                    + ": validity is measured for e-mail and phone fields only");
        }
        if (metric.equals("parse_rate") != field.equals("*")) {
            throw new IllegalArgumentException("quality check " + source + "." + entity + "." + field
                    + ": parse_rate goes with field \"*\" and only with it");
        }
    }

    public static List<QualityCheck> defaults() {
        try (InputStream in = QualityCheck.class.getResourceAsStream("/quality.yaml")) {
            return parse(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the built-in quality.yaml", e);
        }
    }

    public static List<QualityCheck> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("thresholds file " + file + " does not exist; copy quality.yaml from"
                    + " jobs/src/main/resources and pass its path");
        }
        try {
            return parse(new YAMLMapper().readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("thresholds file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("thresholds file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<QualityCheck> parse(JsonNode root) {
        List<QualityCheck> checks = new ArrayList<>();
        for (JsonNode c : root.path("checks")) {
            checks.add(new QualityCheck(c.path("source").asText(), c.path("entity").asText(), c.path("field").asText(),
                    c.path("metric").asText(), c.path("min").asDouble(-1)));
        }
        return checks;
    }

    /** Which validator a field's validity uses, from its name. */
    enum Validity {
        EMAIL, PHONE;

        static Validity of(String field) {
            if (field.contains("email")) {
                return EMAIL;
            }
            return field.contains("phone") || field.contains("number") ? PHONE : null;
        }
    }
}

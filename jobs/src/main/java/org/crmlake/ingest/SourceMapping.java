package org.crmlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a source contract, optionally overridden by a user's mapping file, into one
 * {@link ReadSpec} per entity. Without a mapping file the export is expected in the contract's own
 * layout. A mapping file renames columns and declares formats (see docs/MAPPING.md); every mistake
 * in it is reported with the file and the fix before any data is read.
 */
public final class SourceMapping {
    /** Pattern letters Java accepts but Spark's parser rejects at run time (Spark's datetime-pattern docs). */
    private static final String SPARK_UNPARSEABLE = "YwWuecABnNpEFqQ";
    private static final Set<String> FORMATS = Set.of("csv", "jsonl", "parquet");

    /**
     * Files exporters put beside their exports that are never exports themselves: checksums and
     * "done" markers. Anything else in a batch folder that no entity's pattern matches stops the run.
     */
    public static final List<String> ALWAYS_IGNORED = List.of("*.md5", "*.sha1", "*.sha256", "*.sha512", "*.done", "*.ok");

    private final SourceContract contract;
    private final Map<String, ReadSpec> specs;
    private final List<String> ignored;

    private SourceMapping(SourceContract contract, Map<String, ReadSpec> specs, List<String> ignored) {
        this.contract = contract;
        this.specs = specs;
        this.ignored = List.copyOf(ignored);
    }

    public SourceContract contract() {
        return contract;
    }

    public Map<String, ReadSpec> specs() {
        return specs;
    }

    /** Glob patterns of batch-folder entries (files or folders) that are not exports. */
    public List<String> ignored() {
        return ignored;
    }

    /** The entry is a checksum, marker or another name the mapping file's {@code ignore:} lists. */
    public boolean isIgnored(String name) {
        java.nio.file.Path p = java.nio.file.Path.of(name);
        return ignored.stream().anyMatch(g -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g).matches(p));
    }

    /** The contract's own layout: each field read from the column of the same name. */
    public static SourceMapping builtIn(String source) {
        SourceContract c = SourceContract.load(source);
        Map<String, ReadSpec> specs = new LinkedHashMap<>();
        for (EntityContract e : c.entities().values()) {
            specs.put(e.name(), new ReadSpec(c.source(), e.name(), c.format(), c.delimiter(), c.encoding(), e.file(),
                    e.fields().stream().map(f -> new ColumnMapping(f, f.name(), f.defaultFormats())).toList()));
        }
        return new SourceMapping(c, specs, ALWAYS_IGNORED);
    }

    /** Reads a user's mapping file; entities it does not mention keep the built-in layout. */
    public static SourceMapping fromFile(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new MappingException(file, "cannot be read as YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.hasNonNull("source")) {
            throw new MappingException(file, "has no 'source:' line; add e.g. 'source: crm'");
        }
        String source = root.get("source").asText();
        if (!SourceContract.SOURCES.contains(source)) {
            throw new MappingException(file, "names source '" + source + "'; use one of " + SourceContract.SOURCES);
        }
        SourceMapping base = builtIn(source);
        SourceContract c = base.contract;
        String format = root.path("format").asText(c.format());
        if (!FORMATS.contains(format)) {
            throw new MappingException(file, "format '" + format + "' is not one of " + FORMATS);
        }
        String delimiter = root.path("delimiter").asText(c.delimiter());
        if (delimiter.length() != 1) {
            throw new MappingException(file, "delimiter must be one character, got '" + delimiter + "'");
        }
        String encoding = root.path("encoding").asText(c.encoding());
        if (!supported(encoding)) {
            throw new MappingException(file, "encoding '" + encoding + "' is unknown; use e.g. UTF-8, GB18030, ISO-8859-1");
        }
        List<String> ignored = new ArrayList<>(ALWAYS_IGNORED);
        JsonNode ignore = root.path("ignore");
        if (!ignore.isMissingNode() && !ignore.isNull()) {
            if (!ignore.isArray()) {
                throw new MappingException(file, "ignore: must be a list of file-name patterns, e.g. 'ignore: [manifest.json, \"*.log\"]'");
            }
            for (JsonNode g : ignore) {
                if (!g.isTextual() || g.asText().isBlank() || g.asText().contains("/")) {
                    throw new MappingException(file, "ignore: '" + g + "' is not a file-name pattern; use names like manifest.json or \"*.log\" (no folders)");
                }
                try {
                    java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g.asText());
                } catch (IllegalArgumentException bad) {
                    throw new MappingException(file, "ignore: '" + g.asText() + "' is not a valid pattern: " + bad.getMessage());
                }
                ignored.add(g.asText());
            }
        }
        Map<String, ReadSpec> specs = new LinkedHashMap<>(base.specs);
        JsonNode entities = root.path("entities");
        if (!entities.isMissingNode() && !entities.isNull() && !entities.isObject()) {
            throw new MappingException(file, "entities: must map entity names to their layout, e.g. 'entities: {contacts: {file: X*.csv}}'");
        }
        for (var en : (Iterable<Map.Entry<String, JsonNode>>) entities.properties()::iterator) {
            String entityName = en.getKey();
            if (!c.entities().containsKey(entityName)) {
                throw new MappingException(file, "maps entity '" + entityName + "', which source " + source
                        + " does not have; known entities: " + c.entities().keySet());
            }
            specs.put(entityName, entitySpec(file, c, c.entity(entityName), en.getValue(), format, delimiter, encoding));
        }
        return new SourceMapping(c, specs, ignored);
    }

    private static ReadSpec entitySpec(Path file, SourceContract c, EntityContract e, JsonNode node,
                                       String format, String delimiter, String encoding) {
        if (!node.isObject() && !node.isNull()) {
            throw new MappingException(file, "entity " + e.name() + ": must be a map with 'file:' and/or 'columns:'");
        }
        JsonNode cols = node.path("columns");
        if (!cols.isMissingNode() && !cols.isNull() && !cols.isObject()) {
            throw new MappingException(file, "entity " + e.name() + " columns: must map contract fields to your columns,"
                    + " e.g. 'columns: {contact_id: Record ID}'");
        }
        for (var name : (Iterable<String>) cols::fieldNames) {
            if (e.field(name).isEmpty()) {
                throw new MappingException(file, "entity " + e.name() + " maps field '" + name
                        + "', which is not in the contract; contract fields: "
                        + e.fields().stream().map(FieldSpec::name).toList());
            }
        }
        List<ColumnMapping> columns = new ArrayList<>();
        for (FieldSpec f : e.fields()) {
            JsonNode m = cols.get(f.name());
            String from = f.name();
            List<String> formats = f.defaultFormats();
            if (m != null && m.isTextual()) {
                from = m.asText();
            } else if (m != null && m.isObject()) {
                from = m.path("from").asText(f.name());
                if (m.has("formats")) {
                    JsonNode fmts = m.get("formats");
                    if (!f.type().equals("date") && !f.type().equals("timestamp")) {
                        throw new MappingException(file, "entity " + e.name() + " field " + f.name() + " is a " + f.type()
                                + ": formats apply to date and timestamp fields only; remove them");
                    }
                    boolean allText = fmts.isArray() && !fmts.isEmpty();
                    for (JsonNode x : fmts) {
                        allText &= x.isTextual();
                    }
                    if (!allText) {
                        throw new MappingException(file, "entity " + e.name() + " field " + f.name()
                                + ": formats must be a list of one or more date patterns, e.g. formats: [\"dd/MM/yyyy\"]");
                    }
                    List<String> declared = new ArrayList<>();
                    fmts.forEach(x -> declared.add(x.asText()));
                    for (String fmt : declared) {
                        checkPattern(file, e, f, fmt);
                    }
                    formats = declared;
                }
            } else if (m != null) {
                throw new MappingException(file, "entity " + e.name() + " field " + f.name()
                        + ": write either a column name or {from: column, formats: [...]}");
            }
            columns.add(new ColumnMapping(f, from, formats));
        }
        return new ReadSpec(c.source(), e.name(), format, delimiter, encoding, node.path("file").asText(e.file()), columns);
    }

    /** Charset.isSupported throws on names with illegal characters (found by ExportFuzzTest: {@code ISO"-8859-1}). */
    private static boolean supported(String encoding) {
        try {
            return Charset.isSupported(encoding);
        } catch (java.nio.charset.IllegalCharsetNameException e) {
            return false;
        }
    }

    private static void checkPattern(Path file, EntityContract e, FieldSpec f, String fmt) {
        boolean quoted = false;
        for (char ch : fmt.toCharArray()) {
            quoted ^= ch == '\'';
            if (!quoted && SPARK_UNPARSEABLE.indexOf(ch) >= 0) {
                throw new MappingException(file, "entity " + e.name() + " field " + f.name() + ": date format '" + fmt
                        + "' uses '" + ch + "', which Spark cannot parse with (week-based fields Y w W u e c, and A B n N p"
                        + " E F q Q are not supported); use y for the year, e.g. dd/MM/yyyy HH:mm");
            }
        }
        try {
            DateTimeFormatter.ofPattern(fmt);
        } catch (IllegalArgumentException ex) {
            throw new MappingException(file, "entity " + e.name() + " field " + f.name() + ": date format '" + fmt
                    + "' is invalid (" + ex.getMessage() + "); use Java patterns such as dd/MM/yyyy HH:mm", ex);
        }
    }

    /** A mistake in a mapping file, reported with the file name and the fix. */
    public static final class MappingException extends IllegalArgumentException {
        MappingException(Path file, String problem) {
            super("mapping file " + file + " " + problem);
        }

        MappingException(Path file, String problem, Throwable cause) {
            super("mapping file " + file + " " + problem, cause);
        }
    }
}

package org.crmlake.gold;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rules file {@code rules/customer_rules.sql}: RFM segment names, lifecycle stage and tags as
 * CASE expressions that Spark SQL evaluates over the other customer 360 columns. Kept in one file
 * so that people read and change the rules without reading Java.
 */
public final class CustomerRules {
    public static final String RESOURCE = "/rules/customer_rules.sql";
    /** The view the rules read from (each call renames it to a view of its own). */
    public static final String INPUT_VIEW = "customer_360_base";
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final Pattern INPUT_VIEW_NAME = Pattern.compile("\\b" + INPUT_VIEW + "\\b");
    private static final AtomicLong CALLS = new AtomicLong();

    private CustomerRules() {
    }

    public static String text() {
        try (InputStream in = CustomerRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The rules with every {@code ${name}} replaced; an unknown name fails naming the known ones. */
    public static String render(Map<String, String> parameters) {
        Matcher m = PARAMETER.matcher(text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = parameters.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(RESOURCE + " uses ${" + m.group(1) + "}, which gold.yaml does not"
                        + " define; known: " + parameters.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Adds rfm_segment, lifecycle_stage and tags to the base rows. */
    public static Dataset<Row> apply(Dataset<Row> base, GoldConfig config) {
        // Temporary views are shared by the whole session: each call reads a view of its own, so
        // two customer 360 builds on two threads never read each other's rows.
        String view = INPUT_VIEW + "_" + CALLS.incrementAndGet();
        String sql = INPUT_VIEW_NAME.matcher(render(config.ruleParameters())).replaceAll(view);
        base.createOrReplaceTempView(view);
        try {
            return base.sparkSession().sql(sql);
        } finally {
            // The plan is already analysed: dropping the view does not affect the result.
            base.sparkSession().catalog().dropTempView(view);
        }
    }

    /** The file's comment lines, for the data dictionary. */
    public static List<String> comments() {
        return text().lines().map(String::strip).filter(l -> l.startsWith("--"))
                .map(l -> l.substring(2).strip()).toList();
    }
}

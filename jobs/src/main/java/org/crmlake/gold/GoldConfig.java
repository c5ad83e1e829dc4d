package org.crmlake.gold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the gold jobs, read from {@code gold.yaml} (built in, or a file given with
 * {@code --config}). Every value is validated here, so a job never starts with a nonsensical
 * threshold. The lifecycle and tag windows are handed to {@code rules/customer_rules.sql} as
 * {@code ${name}} parameters ({@link #ruleParameters()}).
 */
public record GoldConfig(double abcAShare, double abcBShare,
                         int newDays, int atRiskDays, int churnedDays, int loyalMinOrders,
                         int churnRiskDays, int highIntentMinViews,
                         double ordersDropMargin, int ordersBaselineDays, double minBaselineDailyOrders,
                         int activeDays) {

    /** Section -> keys a gold.yaml may hold, in the order of the built-in file. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "abc", List.of("a_share", "b_share"),
            "lifecycle", List.of("new_days", "at_risk_days", "churned_days", "loyal_min_orders"),
            "tags", List.of("churn_risk_days", "high_intent_min_views"),
            "alerts", List.of("orders_drop_margin", "orders_baseline_days", "min_baseline_daily_orders"),
            "kpi", List.of("active_days"));

    public GoldConfig {
        check(abcAShare > 0 && abcAShare <= 1, "abc.a_share must be a share in (0, 1], got " + abcAShare);
        check(abcBShare >= 0 && abcAShare + abcBShare <= 1,
                "abc.b_share must be >= 0 and a_share + b_share <= 1, got " + abcAShare + " + " + abcBShare);
        check(newDays > 0, "lifecycle.new_days must be positive, got " + newDays);
        check(atRiskDays > 0 && atRiskDays < churnedDays,
                "lifecycle.at_risk_days must be positive and below churned_days, got " + atRiskDays + " and " + churnedDays);
        check(loyalMinOrders >= 2, "lifecycle.loyal_min_orders must be at least 2, got " + loyalMinOrders);
        check(churnRiskDays > 0, "tags.churn_risk_days must be positive, got " + churnRiskDays);
        check(highIntentMinViews > 0, "tags.high_intent_min_views must be positive, got " + highIntentMinViews);
        check(ordersDropMargin > 0 && ordersDropMargin < 1, "alerts.orders_drop_margin must be in (0, 1), got " + ordersDropMargin);
        check(ordersBaselineDays > 0, "alerts.orders_baseline_days must be positive, got " + ordersBaselineDays);
        check(minBaselineDailyOrders >= 0, "alerts.min_baseline_daily_orders must be >= 0, got " + minBaselineDailyOrders);
        check(activeDays > 0, "kpi.active_days must be positive, got " + activeDays);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("gold config: " + message);
        }
    }

    /** The built-in {@code gold.yaml}. */
    public static GoldConfig defaults() {
        try (InputStream in = GoldConfig.class.getResourceAsStream("/gold.yaml")) {
            if (in == null) {
                throw new IllegalStateException("gold.yaml is missing from the classpath");
            }
            return parse(new YAMLMapper().readTree(in), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in gold.yaml", e);
        }
    }

    /** A user's file: keys it leaves out keep their built-in values. */
    public static GoldConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("gold config " + file + " does not exist; copy gold.yaml from"
                    + " jobs/src/main/resources and pass its path");
        }
        GoldConfig base = defaults();
        try {
            return parse(new YAMLMapper().readTree(Files.readString(file)), base.values());
        } catch (IOException e) {
            throw new IllegalArgumentException("gold config " + file + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static GoldConfig parse(JsonNode root, Map<String, Number> fallback) {
        Map<String, Number> v = new LinkedHashMap<>(fallback);
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            for (Iterator<String> sections = root.fieldNames(); sections.hasNext(); ) {
                String section = sections.next();
                List<String> allowed = KEYS.get(section);
                if (allowed == null) {
                    throw new IllegalArgumentException("gold config: unknown section '" + section + "'; known: " + KEYS.keySet());
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = root.get(section).fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!allowed.contains(e.getKey())) {
                        throw new IllegalArgumentException("gold config: unknown key " + section + "." + e.getKey()
                                + "; known in " + section + ": " + allowed);
                    }
                    if (!e.getValue().isNumber()) {
                        throw new IllegalArgumentException("gold config: " + section + "." + e.getKey()
                                + " must be a number, got '" + e.getValue().asText() + "'");
                    }
                    v.put(section + "." + e.getKey(), e.getValue().numberValue());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        KEYS.forEach((s, keys) -> keys.stream().map(k -> s + "." + k).filter(k -> !v.containsKey(k)).forEach(missing::add));
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("gold config: missing keys " + missing);
        }
        return new GoldConfig(d(v, "abc.a_share"), d(v, "abc.b_share"),
                i(v, "lifecycle.new_days"), i(v, "lifecycle.at_risk_days"), i(v, "lifecycle.churned_days"),
                i(v, "lifecycle.loyal_min_orders"), i(v, "tags.churn_risk_days"), i(v, "tags.high_intent_min_views"),
                d(v, "alerts.orders_drop_margin"), i(v, "alerts.orders_baseline_days"),
                d(v, "alerts.min_baseline_daily_orders"), i(v, "kpi.active_days"));
    }

    private static double d(Map<String, Number> v, String key) {
        return v.get(key).doubleValue();
    }

    private static int i(Map<String, Number> v, String key) {
        Number n = v.get(key);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("gold config: " + key + " must be a whole number, got " + n);
        }
        return n.intValue();
    }

    /** Every setting under its yaml name ({@code section.key}). */
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        v.put("abc.a_share", abcAShare);
        v.put("abc.b_share", abcBShare);
        v.put("lifecycle.new_days", newDays);
        v.put("lifecycle.at_risk_days", atRiskDays);
        v.put("lifecycle.churned_days", churnedDays);
        v.put("lifecycle.loyal_min_orders", loyalMinOrders);
        v.put("tags.churn_risk_days", churnRiskDays);
        v.put("tags.high_intent_min_views", highIntentMinViews);
        v.put("alerts.orders_drop_margin", ordersDropMargin);
        v.put("alerts.orders_baseline_days", ordersBaselineDays);
        v.put("alerts.min_baseline_daily_orders", minBaselineDailyOrders);
        v.put("kpi.active_days", activeDays);
        return v;
    }

    /** Parameters of the rules SQL: {@code ${new_days}} etc. (the key without its section). */
    public Map<String, String> ruleParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        values().forEach((k, n) -> p.put(k.substring(k.indexOf('.') + 1), n.toString()));
        return p;
    }

    /** A copy with other ABC shares (tests, what-if runs). */
    public GoldConfig withAbc(double a, double b) {
        return new GoldConfig(a, b, newDays, atRiskDays, churnedDays, loyalMinOrders, churnRiskDays, highIntentMinViews,
                ordersDropMargin, ordersBaselineDays, minBaselineDailyOrders, activeDays);
    }
}

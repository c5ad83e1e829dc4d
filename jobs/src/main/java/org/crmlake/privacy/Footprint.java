package org.crmlake.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.lake.Lake;
import org.crmlake.lake.PersonKey;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.normalize.Emails;
import org.crmlake.normalize.Phones;

/**
 * Every identifier of one person in the lake, found from a customer id, an e-mail or a phone: their
 * customer ids (including ids merged into theirs), person records and the source ids behind them,
 * their orders, opportunities, cookies and calls, and their e-mails and phones. E-mails and phones
 * that gold.shared_keys lists as used by several people (a family landline) are left out: they are
 * other people's data too, and deleting by them would erase those people.
 */
public final class Footprint {
    /** How the person was named on the command line. */
    public enum By {
        CUSTOMER, EMAIL, PHONE
    }

    /** pattern: for {@value #TEXT} rows, the regular expression a raw record is searched with (null otherwise). */
    static final StructType MATCH_SCHEMA = new StructType().add("kind", DataTypes.StringType).add("value", DataTypes.StringType)
            .add("pattern", DataTypes.StringType);
    /** Kind of the match rows a quarantined raw record is searched for (lower-cased ids and e-mails). */
    static final String TEXT = "text";
    /** Kind of the match rows holding a phone's last ten digits, searched in a raw record's digits. */
    static final String DIGITS = "digits";

    private final Map<PersonKey, Set<String>> ids;
    private final Set<String> emails;
    private final Set<String> phones;
    private final int sharedCookies;

    private Footprint(Map<PersonKey, Set<String>> ids, Set<String> emails, Set<String> phones, int sharedCookies) {
        this.ids = ids;
        this.emails = emails;
        this.phones = phones;
        this.sharedCookies = sharedCookies;
    }

    /**
     * The person's footprint. The customer ids an earlier run of the same request recorded in
     * privacy.erasure_requests are added: a re-run after a crash finds the person through them once
     * the rows their e-mail or phone was found in are gone.
     */
    public static Footprint find(Lake lake, By by, String value, String requestId) {
        Map<PersonKey, Set<String>> ids = new EnumMap<>(PersonKey.class);
        for (PersonKey k : PersonKey.values()) {
            ids.put(k, new TreeSet<>());
        }
        Set<String> customers = ids.get(PersonKey.CUSTOMER);
        Set<String> records = ids.get(PersonKey.RECORD);
        Dataset<Row> persons = lake.read(Tables.PERSONS);
        Dataset<Row> shared = lake.read(Tables.SHARED_KEYS);
        Set<String> sharedEmails = new TreeSet<>(strings(shared.filter(col("key_type").equalTo("email")), "key_value"));
        Set<String> sharedPhones = new TreeSet<>(strings(shared.filter(col("key_type").equalTo("phone")), "key_value"));
        Set<String> emails = new TreeSet<>();
        Set<String> phones = new TreeSet<>();
        Dataset<Row> map = lake.read(Tables.IDENTITY_MAP);
        switch (by) {
            case CUSTOMER -> customers.add(value.strip());
            case EMAIL -> {
                String email = normalEmail(value);
                if (Emails.isPlaceholder(email) || sharedEmails.contains(email)) {
                    throw new IllegalArgumentException(email + " is a placeholder or shared by several people (gold.shared_keys), "
                            + "so it does not name one person; use --customer ID");
                }
                emails.add(email);
                records.addAll(strings(persons.filter(col("email").equalTo(email)), "record_key"));
            }
            case PHONE -> {
                String phone = normalPhone(value);
                if (sharedPhones.contains(lastTen(phone))) {
                    throw new IllegalArgumentException(phone + " is shared by several people (gold.shared_keys), "
                            + "so it does not name one person; use --customer ID");
                }
                phones.add(phone);
                records.addAll(strings(persons.filter(col("phone_e164").equalTo(phone)), "record_key"));
            }
        }
        if (by != By.CUSTOMER) {
            customers.addAll(strings(map.filter(in("record_key", records)), "customer_id"));
            if (customers.size() > 1) {
                throw new IllegalArgumentException(value.strip() + " belongs to " + customers.size() + " customers (" + String.join(", ", customers)
                        + "); check which one asked and use --customer ID");
            }
        }
        customers.addAll(strings(lake.read(Tables.ERASURE_REQUESTS)
                .filter(col("request_id").equalTo(requestId).and(col("customer_id").isNotNull())), "customer_id"));
        Dataset<Row> history = lake.read(Tables.IDENTITY_HISTORY);
        if (by == By.CUSTOMER) {
            requireKnown(lake, map, history, value.strip());
        }
        customers.addAll(mergedWith(history, customers));
        records.addAll(strings(map.filter(in("customer_id", customers)), "record_key"));

        List<Row> mine = persons.filter(in("record_key", records))
                .select("source", "entity", "record_id", "email", "email_is_placeholder", "phone_e164").collectAsList();
        for (Row r : mine) {
            PersonKey kind = switch (r.getString(0) + ":" + r.getString(1)) {
                case "crm:contacts" -> PersonKey.CRM_CONTACT;
                case "erp:customers" -> PersonKey.ERP_CUSTOMER;
                case "web:users" -> PersonKey.WEB_USER;
                case "calls:calls" -> PersonKey.CALL;
                default -> null;
            };
            if (kind != null) {
                ids.get(kind).add(r.getString(2));
            }
            String email = r.getString(3);
            if (email != null && !Boolean.TRUE.equals(r.get(4)) && !sharedEmails.contains(email)) {
                emails.add(email);
            }
            String phone = r.getString(5);
            if (phone != null && !sharedPhones.contains(lastTen(phone))) {
                phones.add(phone);
            }
        }
        // What hangs off the source ids without naming the person: order lines, stage history, anonymous visits.
        Set<String> erpCustomers = ids.get(PersonKey.ERP_CUSTOMER);
        ids.get(PersonKey.ERP_ORDER).addAll(strings(lake.read(Tables.ORDERS).filter(in("customer_no", erpCustomers)), "order_id"));
        ids.get(PersonKey.ERP_ORDER).addAll(strings(lake.read(Tables.bronze("erp", "orders")).filter(in("customer_no", erpCustomers)), "order_id"));
        Set<String> contacts = ids.get(PersonKey.CRM_CONTACT);
        ids.get(PersonKey.CRM_OPPORTUNITY).addAll(strings(lake.read(Tables.OPPORTUNITIES).filter(in("contact_id", contacts)), "opportunity_id"));
        ids.get(PersonKey.CRM_OPPORTUNITY).addAll(strings(lake.read(Tables.bronze("crm", "opportunities")).filter(in("contact_id", contacts)), "opportunity_id"));
        Set<String> users = ids.get(PersonKey.WEB_USER);
        Set<String> cookies = ids.get(PersonKey.WEB_COOKIE);
        Dataset<Row> cookieMap = lake.read(Tables.COOKIE_MAP);
        List<Dataset<Row>> events = List.of(lake.read(Tables.WEB_EVENTS), lake.read(Tables.bronze("web", "events")));
        cookies.addAll(strings(cookieMap.filter(in("customer_id", customers)), "cookie_id"));
        events.forEach(e -> cookies.addAll(strings(e.filter(in("user_id", users)), "cookie_id")));
        // A family browser: a cookie stitched to another customer, or logged into by another account,
        // is theirs too; erasing (and suppressing) it would take their visits. The person's own
        // logged-in events on it still go, by their web account.
        Set<String> othersCookies = new TreeSet<>(strings(cookieMap.filter(in("cookie_id", cookies).and(not(in("customer_id", customers)))),
                "cookie_id"));
        events.forEach(e -> othersCookies.addAll(strings(e.filter(in("cookie_id", cookies).and(col("user_id").isNotNull())
                .and(not(in("user_id", users)))), "cookie_id")));
        cookies.removeAll(othersCookies);
        return new Footprint(ids, emails, phones, othersCookies.size());
    }

    /**
     * Every id joined to one of {@code customers} by merges, several merges deep and both ways (ids
     * merged into theirs, the id theirs was merged into): each still labels the person in older
     * snapshots (customer_360 of past dates). Splits are not followed: they part different people.
     */
    private static Set<String> mergedWith(Dataset<Row> history, Set<String> customers) {
        List<Row> merges = history.filter(col("event").equalTo("merge").and(col("other_customer_id").isNotNull()))
                .select("customer_id", "other_customer_id").distinct().collectAsList();
        Set<String> found = new TreeSet<>(customers);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Row m : merges) {
                if (found.contains(m.getString(0)) != found.contains(m.getString(1))) {
                    found.add(m.getString(0));
                    found.add(m.getString(1));
                    grew = true;
                }
            }
        }
        return found;
    }

    /** A --customer id the lake never knew (a typo) would erase nothing, silently: refused. */
    private static void requireKnown(Lake lake, Dataset<Row> map, Dataset<Row> history, String customer) {
        boolean known = !map.filter(col("customer_id").equalTo(customer)).isEmpty()
                || !history.filter(col("customer_id").equalTo(customer).or(col("other_customer_id").equalTo(customer))).isEmpty()
                // a re-run finishing an earlier request, after its lookup tables were erased
                || !lake.read(Tables.ERASURE_REQUESTS).filter(col("customer_id").equalTo(customer)).isEmpty();
        if (!known) {
            throw new IllegalArgumentException("customer " + customer + " is in neither gold.identity_map nor gold.identity_history, "
                    + "so crm forget would erase nothing; check the id, or name the person with --email or --phone");
        }
    }

    public Set<String> ids(PersonKey kind) {
        return ids.getOrDefault(kind, Set.of());
    }

    public Set<String> emails() {
        return emails;
    }

    public Set<String> phones() {
        return phones;
    }

    /** Cookies of the person's web account that other people used too: kept, with their anonymous visits. */
    public int sharedCookies() {
        return sharedCookies;
    }

    /** Nothing to look for: no id, and no e-mail or phone (a given one counts even when no record has it). */
    public boolean isEmpty() {
        return ids.values().stream().allMatch(Set::isEmpty) && emails.isEmpty() && phones.isEmpty();
    }

    /**
     * The (kind, value, pattern) rows an erasure condition pairs table rows with: every id under its
     * kind, and for free text the lower-cased ids and e-mails with the pattern finding them as whole
     * words ({@value #TEXT}) and each phone's last ten digits ({@value #DIGITS}).
     */
    Dataset<Row> matchRows(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        ids.forEach((kind, values) -> values.forEach(v -> rows.add(RowFactory.create(kind.id(), v, null))));
        for (PersonKey kind : List.of(PersonKey.CRM_CONTACT, PersonKey.ERP_CUSTOMER, PersonKey.ERP_ORDER,
                PersonKey.CRM_OPPORTUNITY, PersonKey.WEB_USER, PersonKey.WEB_COOKIE, PersonKey.CALL)) {
            ids(kind).forEach(v -> rows.add(textRow(v)));
        }
        emails.forEach(e -> rows.add(textRow(e)));
        phones.forEach(p -> rows.add(RowFactory.create(DIGITS, lastTen(p), null)));
        return spark.createDataFrame(rows, MATCH_SCHEMA);
    }

    /**
     * A lower-cased id or e-mail and the pattern finding it in lower-cased text only where it stands
     * whole: {@code li@shop.cn} is not found inside {@code wangli@shop.cn} or {@code xx.li@shop.cn}.
     * Built here, so the value stays in the match rows, never in the condition Delta logs.
     */
    static Row textRow(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        // An e-mail continues with the characters its local part and domain may hold; an id with letters and digits.
        String pattern = v.contains("@")
                ? "(?<![a-z0-9._%+-])" + Pattern.quote(v) + "(?![a-z0-9_-]|\\.[a-z0-9])"
                : "(?<![a-z0-9])" + Pattern.quote(v) + "(?![a-z0-9])";
        return RowFactory.create(TEXT, v, pattern);
    }

    /**
     * The condition pairing a row of {@code table} (alias t) with a match row (alias s): one
     * clause per person-key column; column names and kinds only, never a person's values.
     */
    static String condition(TableDef table) {
        List<String> clauses = new ArrayList<>();
        table.personKeys().forEach((column, kind) -> {
            String c = "t.`" + column + "`";
            if (kind == PersonKey.TEXT) {
                clauses.add("(s.kind = '" + TEXT + "' AND lower(" + c + ") RLIKE s.pattern)");
                clauses.add("(s.kind = '" + DIGITS + "' AND instr(regexp_replace(" + c + ", '[^0-9]', ''), s.value) > 0)");
            } else {
                clauses.add("(s.kind = '" + kind.id() + "' AND " + c + " = s.value)");
            }
        });
        return String.join(" OR ", clauses);
    }

    /** The hashes that keep the person out of future ingests (kind, keyed hash of the id as exported). */
    List<Row> suppressedIdentifiers(String requestId, org.crmlake.lake.DataKeys keys) {
        List<Row> rows = new ArrayList<>();
        for (PersonKey kind : List.of(PersonKey.CRM_CONTACT, PersonKey.CRM_OPPORTUNITY, PersonKey.ERP_CUSTOMER,
                PersonKey.ERP_ORDER, PersonKey.WEB_USER, PersonKey.WEB_COOKIE, PersonKey.CALL)) {
            ids(kind).forEach(v -> rows.add(RowFactory.create(requestId, kind.id(), keys.hash(v))));
        }
        return rows;
    }

    static String normalEmail(String raw) {
        String e = Emails.normalize(raw);
        if (e == null) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid e-mail address; give it as the person wrote it, e.g. jane@example.com");
        }
        return e;
    }

    static String normalPhone(String raw) {
        String p = Phones.toE164(raw, null);
        if (p == null) {
            throw new IllegalArgumentException("'" + raw + "' is not a phone number crm can read without a country; give it in E.164, e.g. +8613812345678");
        }
        return p;
    }

    static String lastTen(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        return digits.length() <= 10 ? digits : digits.substring(digits.length() - 10);
    }

    private static org.apache.spark.sql.Column in(String column, Collection<String> values) {
        return values.isEmpty() ? org.apache.spark.sql.functions.lit(false) : col(column).isin(values.toArray());
    }

    private static List<String> strings(Dataset<Row> rows, String column) {
        return rows.select(column).distinct().collectAsList().stream().map(r -> r.getString(0))
                .filter(java.util.Objects::nonNull).toList();
    }
}

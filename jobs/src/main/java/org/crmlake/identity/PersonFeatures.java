package org.crmlake.identity;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.crmlake.normalize.Names;
import scala.collection.Seq;

/**
 * The matching view of {@code silver.persons}: one row per record with the fields the matcher
 * compares, company names removed from the name (an ERP invoice addressed to "Contoso Labs Inc"
 * says nothing about the person's name), and e-mails and phones flagged when several different
 * people use them.
 */
final class PersonFeatures {

    /** Legal forms that mark a billing name as a company, in English and Chinese. */
    private static final Pattern COMPANY = Pattern.compile(
            "(?i)(\\b(inc|llc|ltd|co|corp|corporation|gmbh|plc|company|limited|traders|systems|logistics|partners"
                    + "|industries|labs|group)\\b\\.?$)|公司|集团|有限|企业|工作室");

    private static final UserDefinedFunction IS_COMPANY_NAME =
            udf((UDF1<String, Boolean>) n -> n != null && COMPANY.matcher(n.strip()).find(), DataTypes.BooleanType);
    private static final UserDefinedFunction NAME_KEY =
            udf((UDF1<String, String>) Names::latinKey, DataTypes.StringType);
    private static final UserDefinedFunction NAME_GROUPS =
            udf((UDF1<Seq<String>, Integer>) PersonFeatures::nameGroups, DataTypes.IntegerType);

    private PersonFeatures() {
    }

    /**
     * Columns: record_key, source, name_key (null for company names), email (null for
     * placeholders), phone, birth_date (string), street_key, postcode, city, crm_contact_id.
     */
    static Dataset<Row> of(Dataset<Row> persons) {
        Dataset<Row> companyKeys = persons.filter(col("company").isNotNull())
                .select(NAME_KEY.apply(col("company")).as("company_key")).distinct();
        return persons.join(broadcast(companyKeys), col("name_key").equalTo(col("company_key")), "left")
                .withColumn("is_company", col("company_key").isNotNull().or(IS_COMPANY_NAME.apply(col("full_name"))))
                .select(col("record_key"), col("source"),
                        when(col("is_company"), lit(null)).otherwise(col("name_key")).as("name_key"),
                        when(col("email_is_placeholder"), lit(null)).otherwise(col("email")).as("email"),
                        // Last ten digits: a call without a country may read a US number as Chinese
                        // (15125869994 is valid in both); the subscriber digits still agree.
                        substring(col("phone_e164"), -10, 10).as("phone"), col("birth_date").cast("string").as("birth_date"),
                        NAME_KEY.apply(col("street")).as("street_key"), col("postcode"),
                        NAME_KEY.apply(col("city")).as("city"), col("crm_contact_id"));
    }

    /**
     * E-mails and phones that several different people use: the records carrying the value have
     * names that cannot be one person's (two or more groups of compatible names). Columns
     * key_type, key_value, records, distinct_names, reason.
     */
    static Dataset<Row> sharedKeys(Dataset<Row> features) {
        return keyGroups(features, "email").unionByName(keyGroups(features, "phone"));
    }

    private static Dataset<Row> keyGroups(Dataset<Row> features, String field) {
        return features.filter(col(field).isNotNull())
                .groupBy(col(field).as("key_value"))
                .agg(count(lit(1)).as("records"), collect_set("name_key").as("names"))
                .withColumn("name_groups", NAME_GROUPS.apply(col("names")))
                .filter(col("name_groups").geq(2))
                .select(lit(field).as("key_type"), col("key_value"), col("records"),
                        size(col("names")).as("distinct_names"),
                        concat(lit("names of at least "), col("name_groups").cast("string"), lit(" different people"))
                                .as("reason"));
    }

    /** Groups names greedily by {@link NameMatch#compatible}; the count of groups found. */
    static int nameGroups(Seq<String> names) {
        List<String> representatives = new ArrayList<>();
        var it = names.iterator();
        while (it.hasNext()) {
            String n = it.next();
            if (n == null || n.isBlank()) {
                continue;
            }
            if (representatives.stream().noneMatch(r -> NameMatch.compatible(r, n))) {
                representatives.add(n);
            }
        }
        return representatives.size();
    }
}

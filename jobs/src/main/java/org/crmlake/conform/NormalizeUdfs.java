package org.crmlake.conform;

import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.crmlake.normalize.Emails;
import org.crmlake.normalize.Names;
import org.crmlake.normalize.Phones;
import org.crmlake.normalize.Sentiment;

/** The normalisers of {@code org.crmlake.normalize} as Spark functions (deterministic, null-safe). */
public final class NormalizeUdfs {
    private NormalizeUdfs() {
    }

    public static final UserDefinedFunction PHONE_E164 =
            udf((UDF2<String, String, String>) Phones::toE164, DataTypes.StringType);
    public static final UserDefinedFunction EMAIL =
            udf((UDF1<String, String>) Emails::normalize, DataTypes.StringType);
    public static final UserDefinedFunction EMAIL_IS_PLACEHOLDER =
            udf((UDF1<String, Boolean>) e -> e != null && Emails.isPlaceholder(e), DataTypes.BooleanType);
    public static final UserDefinedFunction NAME =
            udf((UDF1<String, String>) Names::normalize, DataTypes.StringType);
    public static final UserDefinedFunction NAME_KEY =
            udf((UDF1<String, String>) Names::latinKey, DataTypes.StringType);
    public static final UserDefinedFunction SENTIMENT =
            udf((UDF1<String, Double>) t -> t == null ? null : Sentiment.score(t), DataTypes.DoubleType);
    public static final UserDefinedFunction IS_NEGATIVE =
            udf((UDF1<String, Boolean>) t -> t != null && Sentiment.isNegative(t), DataTypes.BooleanType);
}

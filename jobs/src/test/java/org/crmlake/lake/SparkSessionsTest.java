package org.crmlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.crmlake.SparkTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest extends SparkTestBase {
    private final String before = System.getProperty(SparkSessions.CODEGEN);
    private final String wholeStage = spark.conf().get("spark.sql.codegen.wholeStage");
    private final String factoryMode = spark.conf().get("spark.sql.codegen.factoryMode");

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(SparkSessions.CODEGEN);
        } else {
            System.setProperty(SparkSessions.CODEGEN, before);
        }
        spark.conf().set("spark.sql.codegen.wholeStage", wholeStage);
        spark.conf().set("spark.sql.codegen.factoryMode", factoryMode);
    }

    @Test
    void autoRunsSmallInputsInterpretedAndTheRestCompiled() {
        System.clearProperty(SparkSessions.CODEGEN);
        assertThat(SparkSessions.compileQueriesFor(spark, 1_000_000)).isFalse();
        assertThat(spark.conf().get("spark.sql.codegen.wholeStage")).isEqualTo("false");
        assertThat(spark.conf().get("spark.sql.codegen.factoryMode")).isEqualTo("NO_CODEGEN");
        assertThat(spark.range(5).selectExpr("sum(id * 2)").first().getLong(0)).isEqualTo(20L);

        assertThat(SparkSessions.compileQueriesFor(spark, SparkSessions.SMALL_INPUT_BYTES)).isTrue();
        assertThat(spark.conf().get("spark.sql.codegen.wholeStage")).isEqualTo("true");
        assertThat(spark.conf().get("spark.sql.codegen.factoryMode")).isEqualTo("FALLBACK");
        assertThat(SparkSessions.compileQueriesFor(spark, -1)).as("input not known: compiled").isTrue();
    }

    @Test
    void aSmallJobGetsASessionOfItsOwnAndLeavesTheSharedOneAsItWas(@TempDir Path dir) {
        System.clearProperty(SparkSessions.CODEGEN);
        spark.conf().set("spark.sql.codegen.wholeStage", "true");
        SparkSession own = SparkSessions.forJob(spark, 1_000);
        assertThat(own).isNotSameAs(spark);
        assertThat(own.conf().get("spark.sql.codegen.wholeStage")).isEqualTo("false");
        assertThat(spark.conf().get("spark.sql.codegen.wholeStage")).as("the shared session").isEqualTo("true");
        assertThat(own.conf().get("spark.sql.session.timeZone")).as("the builder's settings carry over").isEqualTo("UTC");
        // Delta works in the new session: a table written there reads back in the shared one.
        String table = dir.resolve("t").toString();
        own.range(3).write().format("delta").save(table);
        assertThat(spark.read().format("delta").load(table).count()).isEqualTo(3);

        assertThat(SparkSessions.forJob(spark, -1)).as("input not known").isSameAs(spark);
        assertThat(SparkSessions.forJob(spark, SparkSessions.SMALL_INPUT_BYTES).conf().get("spark.sql.codegen.wholeStage"))
                .isEqualTo("true");
        System.setProperty(SparkSessions.CODEGEN, "off");
        assertThat(SparkSessions.forJob(spark, 1_000)).as("on and off hold for every job").isSameAs(spark);
    }

    @Test
    void onAndOffAreLeftAsSet() {
        spark.conf().set("spark.sql.codegen.wholeStage", "true");
        System.setProperty(SparkSessions.CODEGEN, "on");
        assertThat(SparkSessions.compileQueriesFor(spark, 1)).isTrue();
        System.setProperty(SparkSessions.CODEGEN, "off");
        assertThat(SparkSessions.compileQueriesFor(spark, 1L << 40)).isFalse();
        assertThat(spark.conf().get("spark.sql.codegen.wholeStage")).as("not touched").isEqualTo("true");
    }

    @Test
    void aMistypedValueIsRefusedWithTheValuesThatWork() {
        System.setProperty(SparkSessions.CODEGEN, "false");
        assertThatThrownBy(() -> SparkSessions.compileQueriesFor(spark, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dcrm.codegen=false: use auto, on or off");
    }
}

package org.crmlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
    private final String before = System.getProperty(SparkSessions.CODEGEN);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(SparkSessions.CODEGEN);
        } else {
            System.setProperty(SparkSessions.CODEGEN, before);
        }
    }

    @Test
    void queriesAreCompiledUnlessTurnedOff() {
        System.clearProperty(SparkSessions.CODEGEN);
        assertThat(SparkSessions.compileQueries()).isTrue();
        System.setProperty(SparkSessions.CODEGEN, "off");
        assertThat(SparkSessions.compileQueries()).isFalse();
        System.setProperty(SparkSessions.CODEGEN, "on");
        assertThat(SparkSessions.compileQueries()).isTrue();
    }

    @Test
    void aMistypedValueIsRefusedWithTheValuesThatWork() {
        System.setProperty(SparkSessions.CODEGEN, "false");
        assertThatThrownBy(SparkSessions::compileQueries).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dcrm.codegen=false: use on or off");
    }
}

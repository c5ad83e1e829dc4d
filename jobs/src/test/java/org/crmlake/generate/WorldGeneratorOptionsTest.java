package org.crmlake.generate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorldGeneratorOptionsTest {

    private static final Path OUT = Path.of("world");

    @Test
    void messLevelsByNameAndNumber() {
        assertThat(GenerateOptions.messLevel("none")).isZero();
        assertThat(GenerateOptions.messLevel("low")).isEqualTo(0.1);
        assertThat(GenerateOptions.messLevel("default")).isEqualTo(0.25);
        assertThat(GenerateOptions.messLevel("HIGH")).isEqualTo(0.6);
        assertThat(GenerateOptions.messLevel("0.4")).isEqualTo(0.4);
        assertThatThrownBy(() -> GenerateOptions.messLevel("extreme")).hasMessageContaining("mess");
        assertThatThrownBy(() -> GenerateOptions.messLevel("1.5")).hasMessageContaining("between 0 and 1");
    }

    @Test
    void invalidOptionsNameTheOptionAndRange() {
        assertThatThrownBy(() -> new GenerateOptions(0, 30, 1, 0, GenerateOptions.DEFAULT_END_DATE, OUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers must be >= 1");
        assertThatThrownBy(() -> new GenerateOptions(10, 29, 1, 0, GenerateOptions.DEFAULT_END_DATE, OUT))
                .hasMessageContaining("days must be >= 30");
        assertThatThrownBy(() -> new GenerateOptions(10, 30, 1, 1.1, GenerateOptions.DEFAULT_END_DATE, OUT))
                .hasMessageContaining("mess must be between 0 and 1");
        assertThatThrownBy(() -> new GenerateOptions(10, 30, 1, 0, GenerateOptions.DEFAULT_END_DATE, null))
                .hasMessageContaining("out");
    }
}

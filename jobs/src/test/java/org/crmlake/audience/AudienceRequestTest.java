package org.crmlake.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Request checks and the format rule, without Spark. */
class AudienceRequestTest {
    static AudienceRequest of(String segment, String model, Double minScore, Integer minDecile, String out, String format) {
        return new AudienceRequest(segment, model, minScore, minDecile, Channel.EMAIL, false, false, null, Path.of(out), format);
    }

    @Test
    void formatComesFromTheFlagOrTheExtension() {
        assertThat(of("s", null, null, null, "a.CSV", null).validated().format()).isEqualTo("csv");
        assertThat(of("s", null, null, null, "a.parquet", null).validated().format()).isEqualTo("parquet");
        assertThat(of("s", null, null, null, "a.out", "parquet").validated().format()).isEqualTo("parquet");
        assertThat(of("s", null, null, null, "a.csv", null).validated().out()).isAbsolute();
        assertThatThrownBy(() -> of("s", null, null, null, "a.txt", null).validated()).hasMessageContaining("cannot tell the format");
    }

    @Test
    void nonsenseIsRejectedWithTheFix() {
        assertThatThrownBy(() -> of(null, null, null, null, "a.csv", null).validated()).hasMessageContaining("--segment NAME, --model");
        assertThatThrownBy(() -> of("s", null, 0.5, null, "a.csv", null).validated()).hasMessageContaining("need --model");
        assertThatThrownBy(() -> of(null, "ltv", null, null, "a.csv", null).validated()).hasMessageContaining("unknown model 'ltv'");
        assertThatThrownBy(() -> of(null, "churn", 1.5, null, "a.csv", null).validated()).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> of(null, "churn", null, 11, "a.csv", null).validated()).hasMessageContaining("--min-decile");
        assertThatThrownBy(() -> Channel.parse("fax")).hasMessageContaining("unknown channel 'fax'");
        assertThat(Channel.parse("SMS")).isEqualTo(Channel.SMS);
    }

    @Test
    void theDefinitionNamesEverySetting() {
        assertThat(new AudienceRequest("win_back", "churn", 0.6, 2, Channel.SMS, true, true, null, Path.of("x.csv"), null).definition())
                .isEqualTo("segment=win_back; model=churn; min_score=0.6; min_decile=2; channel=sms; hash=true; unknown_consent=included");
    }
}

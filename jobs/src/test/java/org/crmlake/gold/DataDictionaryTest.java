package org.crmlake.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crmlake.lake.TableDef;
import org.junit.jupiter.api.Test;

/** The generated dictionary is checked in and must match the catalog; no Spark needed. */
class DataDictionaryTest {
    /** Tests run in the jobs module; the file lives at the repository root. */
    static final Path FILE = Path.of("..").resolve(DataDictionary.DEFAULT_FILE);

    @Test
    void checkedInDictionaryIsCurrent() throws IOException {
        assertThat(Files.exists(FILE)).as("%s is missing: run ./crm dictionary", FILE.normalize()).isTrue();
        assertThat(Files.readString(FILE))
                .as("docs/DATA_DICTIONARY.md is stale (a table, column or rule changed): run ./crm dictionary and commit it")
                .isEqualTo(DataDictionary.render());
    }

    @Test
    void everyTableAndColumnIsDescribed() {
        String md = DataDictionary.render();
        for (TableDef t : DataDictionary.tables()) {
            assertThat(md).contains("## " + t.qualifiedName());
            t.columns().forEach(c -> assertThat(c.description()).as("%s.%s", t.qualifiedName(), c.name()).isNotBlank());
        }
        assertThat(md).contains("gold.customer_360", "lifecycle", "tier_a_at_risk", "abc.a_share");
    }

    @Test
    void goldConfigRejectsNonsenseWithTheFix(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("gold.yaml");
        Files.writeString(bad, "abc:\n  a_share: 0.9\n  b_share: 0.2\n");
        assertThatThrownBy(() -> GoldConfig.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a_share + b_share <= 1");
        Files.writeString(bad, "alerts:\n  margin: 0.5\n");
        assertThatThrownBy(() -> GoldConfig.load(bad)).hasMessageContaining("unknown key alerts.margin");
        Files.writeString(bad, "abc:\n  a_share: 0.7\n");
        assertThat(GoldConfig.load(bad).abcAShare()).isEqualTo(0.7);
        assertThat(GoldConfig.load(bad).churnedDays()).as("other keys keep their defaults").isEqualTo(180);
        assertThatThrownBy(() -> GoldConfig.load(dir.resolve("missing.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void rulesUseOnlyConfiguredParameters() {
        assertThat(CustomerRules.render(GoldConfig.defaults().ruleParameters())).doesNotContainPattern("\\$\\{[a-z_]+}")
                .contains("days_since_last_order > 180");
    }
}

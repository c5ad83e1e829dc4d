package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class LabeledDataTest {

    @TempDir Path dir;

    @Test
    void readsAFeatureCsvWithIdsAndMissingValues() throws Exception {
        Path csv =
                Files.writeString(
                        dir.resolve("features.csv"),
                        """
        customer_id,orders,churned,days
        c1,3,0,12.5
        c2,,1,140
        """);
        LabeledData data = LabeledData.readCsv(csv, "churned", "customer_id");

        assertThat(data.features()).containsExactly("orders", "days");
        assertThat(data.ids()).containsExactly("c1", "c2");
        assertThat(data.y()).containsExactly(0, 1);
        assertThat(data.x()[0]).containsExactly(3, 12.5);
        assertThat(data.x()[1][0]).isNaN();
        assertThat(data.positives()).isEqualTo(1);
    }

    @Test
    void aNonNumericValueNamesFileLineAndColumn() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "orders,churned\n3,0\nmany,1\n");
        assertThatThrownBy(() -> LabeledData.readCsv(csv, "churned", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(csv + " line 3 column 'orders': 'many' is not a number");
    }

    @Test
    void aMissingLabelColumnListsTheColumns() throws Exception {
        Path csv = Files.writeString(dir.resolve("nolabel.csv"), "orders,days\n3,0\n");
        assertThatThrownBy(() -> LabeledData.readCsv(csv, "churned", null))
                .hasMessageContaining("no label column 'churned'; columns are [orders, days]");
    }

    @Test
    void fingerprintIsStableAndSensitiveToOrderValuesAndLabels() {
        LabeledData a =
                new LabeledData(
                        List.of("f", "g"), new double[][] {{1, 2}, {3, 4}}, new int[] {0, 1}, null);
        LabeledData same =
                new LabeledData(
                        List.of("f", "g"),
                        new double[][] {{1, 2}, {3, 4}},
                        new int[] {0, 1},
                        new String[] {"x", "y"});
        LabeledData swappedRows =
                new LabeledData(
                        List.of("f", "g"), new double[][] {{3, 4}, {1, 2}}, new int[] {1, 0}, null);
        LabeledData otherLabel =
                new LabeledData(
                        List.of("f", "g"), new double[][] {{1, 2}, {3, 4}}, new int[] {1, 1}, null);
        LabeledData renamed =
                new LabeledData(
                        List.of("f", "h"), new double[][] {{1, 2}, {3, 4}}, new int[] {0, 1}, null);

        assertThat(a.fingerprint()).hasSize(64).isEqualTo(same.fingerprint());
        assertThat(
                        List.of(
                                swappedRows.fingerprint(),
                                otherLabel.fingerprint(),
                                renamed.fingerprint()))
                .doesNotContain(a.fingerprint())
                .doesNotHaveDuplicates();
    }

    @Test
    void shapesAndLabelsAreValidated() {
        assertThatThrownBy(
                        () ->
                                new LabeledData(
                                        List.of("f"), new double[][] {{1}}, new int[] {0, 1}, null))
                .hasMessageContaining("x has 1 rows, y has 2");
        assertThatThrownBy(
                        () ->
                                new LabeledData(
                                        List.of("f"), new double[][] {{1, 2}}, new int[] {0}, null))
                .hasMessageContaining("row 0 has 2 values but there are 1 features");
        assertThatThrownBy(
                        () ->
                                new LabeledData(
                                        List.of("f"), new double[][] {{1}}, new int[] {2}, null))
                .hasMessageContaining("labels must be 0 or 1");
    }
}

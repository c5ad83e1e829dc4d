package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class ModelRegistryTest {

    private static final Synthetic TRAIN = Synthetic.draw(2000, 11);
    private static final Synthetic CALIBRATE = Synthetic.draw(1500, 12);
    private static final Synthetic VALIDATE = Synthetic.draw(1500, 13);
    private static TrainedModel good;
    private static TrainedModel weak;

    /**
     * On 1500 rows a calibration bin may hold only 15 rows, whose observed rate wobbles by ±0.1, so the
     * default 0.05 gap refuses even the true model at times (measured 0.079 here); tests use 0.10.
     */
    private static final PromotionPolicy POLICY = new PromotionPolicy(0.002, 0.10);

    @TempDir Path root;

    @BeforeAll
    static void trainModels() {
        good =
                Trainer.train(
                        TRAIN.data(),
                        CALIBRATE.data(),
                        TrainOptions.defaults(Algorithm.LOGISTIC_REGRESSION),
                        Map.of());
        // Sees only the noise column and the basket value: ranks close to chance, still calibrated.
        List<String> uninformative = List.of("avg_basket_value", "noise");
        weak =
                Trainer.train(
                        TRAIN.data().select(uninformative),
                        CALIBRATE.data().select(uninformative),
                        TrainOptions.defaults(Algorithm.LOGISTIC_REGRESSION),
                        Map.of());
    }

    private ModelVersion register(ModelRegistry registry, TrainedModel model) {
        // The registry keeps all validation columns, so champions with other features can be
        // re-scored.
        LabeledData validation = VALIDATE.data();
        Evaluation evaluation =
                Evaluation.of(
                        validation.y(),
                        model.probabilities(validation.select(model.features()).x()));
        TrainingRun run =
                new TrainingRun(
                        List.of("2025-01-31", "2025-02-28"),
                        "2025-03-31",
                        TRAIN.data().rows(),
                        validation.rows(),
                        TRAIN.data().fingerprint(),
                        validation.fingerprint());
        return registry.register(
                "churn_90d",
                model,
                run,
                validation,
                evaluation,
                VALIDATE.oracleAuc(),
                "no order in the 90 days after the cutoff");
    }

    @Test
    void registersVersionsWithAllFilesAndRoundTripsTheModel() throws Exception {
        ModelRegistry registry = new ModelRegistry(root);
        ModelVersion v1 = register(registry, good);
        ModelVersion v2 = register(registry, weak);

        assertThat(List.of(v1.version(), v2.version())).containsExactly(1, 2);
        for (String file :
                List.of(
                        "model.bin",
                        "metrics.json",
                        "features.json",
                        "run.json",
                        "card.md",
                        "validation.csv")) {
            assertThat(v1.dir().resolve(file)).as(file).isNotEmptyFile();
        }
        assertThat(Files.readString(v1.dir().resolve("run.json")))
                .contains("\"2025-02-28\"", "\"validation_cutoff\" : \"2025-03-31\"");
        assertThat(registry.modelNames()).containsExactly("churn_90d");
        assertThat(registry.list("churn_90d"))
                .extracting(ModelVersion::version)
                .containsExactly(1, 2);
        assertThat(registry.champion("churn_90d")).isEmpty();
        assertThat(registry.show("churn_90d", 1))
                .contains("# churn_90d v1", "no order in the 90 days", "roc_auc");

        ModelRegistry.StoredMetrics stored = registry.metrics("churn_90d", 1);
        LabeledData validation = VALIDATE.data();
        assertThat(stored.evaluation())
                .as("the evaluation read back from metrics.json")
                .isEqualTo(
                        Evaluation.of(
                                validation.y(),
                                good.probabilities(validation.select(good.features()).x())));
        assertThat(stored.oracleAuc()).isEqualTo(VALIDATE.oracleAuc());

        double[][] rows = VALIDATE.data().x();
        assertThat(registry.load("churn_90d", 1).probabilities(rows))
                .containsExactly(good.probabilities(rows));
        try (Stream<Path> left = Files.list(root.resolve("churn_90d"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temporary folders left")
                    .containsExactlyInAnyOrder("v1", "v2");
        }
    }

    @Test
    void promotesABetterCandidateAndRefusesAWorseOneWithReasons() throws Exception {
        ModelRegistry registry = new ModelRegistry(root);
        int weakVersion = register(registry, weak).version();
        int goodVersion = register(registry, good).version();
        Path decisions = root.resolve("churn_90d/decisions.jsonl");

        PromotionDecision first = registry.promote("churn_90d", weakVersion, POLICY);
        assertThat(first.promote()).as(first.reason()).isTrue();
        assertThat(first.reason()).contains("no champion yet", "→ promoted");
        assertThat(registry.champion("churn_90d")).map(ModelVersion::version).contains(weakVersion);

        PromotionDecision second = registry.promote("churn_90d", goodVersion, POLICY);
        assertThat(second.promote()).as(second.reason()).isTrue();
        assertThat(second.reason())
                .contains(
                        "v2 AUC",
                        "vs champion v1",
                        "on the same 1500 rows",
                        "≥ 0.002",
                        "→ promoted");
        assertThat(Files.readString(root.resolve("churn_90d/champion")).strip()).isEqualTo("v2");

        PromotionDecision back = registry.promote("churn_90d", weakVersion, POLICY);
        assertThat(back.promote()).isFalse();
        assertThat(back.reason()).contains("v1 AUC", "vs champion v2", "< 0.002", "→ not promoted");
        assertThat(registry.champion("churn_90d")).map(ModelVersion::version).contains(goodVersion);
        assertThat(Files.readAllLines(decisions))
                .hasSize(3)
                .last()
                .asString()
                .contains("\"candidate\":\"v1\"", "\"champion\":\"v2\"", "\"promoted\":false");
    }

    @Test
    void aPoorlyCalibratedFirstCandidateIsNotPromoted() {
        ModelRegistry registry = new ModelRegistry(root);
        int version = register(registry, good).version();
        PromotionDecision decision =
                registry.promote("churn_90d", version, new PromotionPolicy(0.002, 0.001));
        assertThat(decision.promote()).isFalse();
        assertThat(decision.reason()).contains("> 0.001", "not promoted");
        assertThat(registry.champion("churn_90d")).isEmpty();
    }

    @Test
    void unknownModelsAndVersionsListWhatExists() {
        ModelRegistry registry = new ModelRegistry(root);
        register(registry, good);
        assertThatThrownBy(() -> registry.load("churn_90d", 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'churn_90d' has no v7; versions are [v1]");
        assertThatThrownBy(() -> registry.list("upsell"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no model 'upsell'")
                .hasMessageEndingWith("models are [churn_90d]");
    }

    @Test
    void aModelWorksAfterJavaSerialisation() throws Exception {
        for (Algorithm algorithm : Algorithm.values()) {
            TrainedModel model =
                    Trainer.train(
                            TRAIN.data(),
                            CALIBRATE.data(),
                            TrainOptions.defaults(algorithm).withTrees(20),
                            Map.of());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            TrainedModel copy;
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (TrainedModel) in.readObject();
            }
            double[] row = VALIDATE.data().x()[0];
            assertThat(copy.probability(row))
                    .as(algorithm.name())
                    .isEqualTo(model.probability(row));
            assertThat(copy.reasons(row, 2)).as(algorithm.name()).isEqualTo(model.reasons(row, 2));
        }
    }
}

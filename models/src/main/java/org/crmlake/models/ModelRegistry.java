package org.crmlake.models;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Versioned models on disk: {@code root/<model>/v<N>/} holds {@code model.bin}, {@code metrics.json},
 * {@code features.json}, {@code run.json}, {@code card.md} and {@code validation.csv};
 * {@code root/<model>/champion} names the serving version and {@code root/<model>/decisions.jsonl}
 * records every promotion decision. Versions appear atomically (built in a temporary folder, then renamed).
 */
public final class ModelRegistry {

    static final String LABEL_COLUMN = "_label";
    static final String ID_COLUMN = "_id";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public ModelRegistry(Path root) {
        this.root = root;
    }

    /** Stores a new version (the next number) and returns it; it is not champion until promoted. */
    public ModelVersion register(
            String modelName,
            TrainedModel model,
            TrainingRun run,
            LabeledData validation,
            Evaluation evaluation,
            Double oracleAuc,
            String labelDefinition) {
        requireName(modelName);
        if (!validation.features().containsAll(model.features())) {
            throw new IllegalArgumentException(
                    "validation rows lack model features; they have "
                            + validation.features()
                            + " but the model needs "
                            + model.features());
        }
        Path modelDir = root.resolve(modelName);
        try {
            Files.createDirectories(modelDir);
            Path temp = Files.createTempDirectory(modelDir, TEMP_PREFIX);
            String createdAt = Instant.now().toString();
            int version = nextVersion(modelName);
            writeVersionFiles(
                    temp,
                    modelName,
                    version,
                    model,
                    run,
                    validation,
                    evaluation,
                    oracleAuc,
                    labelDefinition,
                    createdAt);
            while (true) {
                // A concurrent registration may take the number first: then try the next one.
                Path target = modelDir.resolve("v" + version);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    return new ModelVersion(
                            modelName,
                            version,
                            target,
                            model.algorithm(),
                            evaluation.rocAuc(),
                            createdAt,
                            false);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    version++;
                    rewriteVersionNumber(
                            temp,
                            modelName,
                            version,
                            model,
                            run,
                            evaluation,
                            oracleAuc,
                            labelDefinition,
                            createdAt);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot register " + modelName + " under " + modelDir, e);
        }
    }

    public List<String> modelNames() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list models in " + root, e);
        }
    }

    /** All versions of a model, oldest first. */
    public List<ModelVersion> list(String modelName) {
        Path modelDir = requireModel(modelName);
        Optional<Integer> champion = championNumber(modelName);
        List<ModelVersion> out = new ArrayList<>();
        for (int version : versionNumbers(modelDir)) {
            Path dir = modelDir.resolve("v" + version);
            JsonNode run = Json.read(dir.resolve("run.json"));
            JsonNode metrics = Json.read(dir.resolve("metrics.json"));
            out.add(
                    new ModelVersion(
                            modelName,
                            version,
                            dir,
                            Algorithm.parse(run.get("algorithm").asText()),
                            metrics.get("roc_auc").asDouble(),
                            run.get("created_at").asText(),
                            champion.equals(Optional.of(version))));
        }
        return out;
    }

    /** What a version measured on its validation rows, read back from its {@code metrics.json}. */
    public StoredMetrics metrics(String modelName, int version) {
        JsonNode m = Json.read(requireVersion(modelName, version).resolve("metrics.json"));
        JsonNode oracle = m.get("oracle_auc");
        Evaluation evaluation =
                new Evaluation(
                        m.get("rows").asLong(),
                        m.get("positive_rate").asDouble(),
                        m.get("roc_auc").asDouble(),
                        m.get("pr_auc").asDouble(),
                        m.get("brier").asDouble(),
                        m.get("log_loss").asDouble(),
                        List.of(Json.convert(m.get("calibration"), CalibrationBin[].class)),
                        List.of(Json.convert(m.get("deciles"), DecileRow[].class)));
        return new StoredMetrics(
                evaluation, oracle == null || oracle.isNull() ? null : oracle.asDouble());
    }

    /** A stored version's evaluation and the oracle AUC it was compared with (null when unknown). */
    public record StoredMetrics(Evaluation evaluation, Double oracleAuc) {}

    public Optional<ModelVersion> champion(String modelName) {
        return list(modelName).stream().filter(ModelVersion::isChampion).findFirst();
    }

    public TrainedModel load(String modelName, int version) {
        Path file = requireVersion(modelName, version).resolve("model.bin");
        try (InputStream in = Files.newInputStream(file);
                ObjectInputStream objects = new ObjectInputStream(in)) {
            return (TrainedModel) objects.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(
                    "cannot read " + file + "; was it written by another version of crm-models?",
                    e);
        }
    }

    /** The model card followed by the raw metrics, for {@code crm models show}. */
    public String show(String modelName, int version) {
        Path dir = requireVersion(modelName, version);
        try {
            boolean champion = championNumber(modelName).equals(Optional.of(version));
            return Files.readString(dir.resolve("card.md"))
                    + "\nStatus: "
                    + (champion ? "champion" : "not champion")
                    + "\n\n## metrics.json\n"
                    + Files.readString(dir.resolve("metrics.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    /**
     * Scores the candidate and the current champion on the candidate's validation rows (which keep every
     * column passed to {@link #register}, so a champion using other features can be scored too) and makes the
     * candidate champion if the policy allows; every decision is appended to decisions.jsonl.
     */
    public PromotionDecision promote(String modelName, int version, PromotionPolicy policy) {
        Path candidateDir = requireVersion(modelName, version);
        LabeledData rows =
                LabeledData.readCsv(
                        candidateDir.resolve("validation.csv"), LABEL_COLUMN, ID_COLUMN);
        TrainedModel candidateModel = load(modelName, version);
        Evaluation candidate =
                Evaluation.of(
                        rows.y(),
                        candidateModel.probabilities(rows.select(candidateModel.features()).x()));
        Optional<Integer> championVersion = championNumber(modelName);
        Double championAuc = null;
        PromotionDecision decision;
        String gapText =
                String.format(Locale.ROOT, "calibration error %.3f", candidate.calibrationError());
        boolean calibrated = candidate.calibrationError() <= policy.maxCalibrationError();
        String calibrationClause =
                gapText + (calibrated ? " ≤ " : " > ") + fmt(policy.maxCalibrationError());
        if (championVersion.isEmpty()) {
            decision =
                    new PromotionDecision(
                            calibrated,
                            String.format(
                                    Locale.ROOT,
                                    "v%d AUC %.4f on %d rows, no champion yet: %s → %s",
                                    version,
                                    candidate.rocAuc(),
                                    rows.rows(),
                                    calibrationClause,
                                    calibrated ? "promoted" : "not promoted"));
        } else if (championVersion.get() == version) {
            decision =
                    new PromotionDecision(
                            false, "v" + version + " is already the champion → nothing to do");
        } else {
            TrainedModel champion = load(modelName, championVersion.get());
            if (!rows.features().containsAll(champion.features())) {
                List<String> missing =
                        champion.features().stream()
                                .filter(f -> !rows.features().contains(f))
                                .toList();
                decision =
                        new PromotionDecision(
                                false,
                                "champion v"
                                        + championVersion.get()
                                        + " needs features "
                                        + missing
                                        + " that v"
                                        + version
                                        + "'s validation rows lack, so they cannot be compared on the same rows → not promoted");
            } else {
                LabeledData championRows = rows.select(champion.features());
                championAuc = Evaluation.auc(rows.y(), champion.probabilities(championRows.x()));
                double gain = candidate.rocAuc() - championAuc;
                boolean better = gain >= policy.minAucGain();
                boolean promote = better && calibrated;
                decision =
                        new PromotionDecision(
                                promote,
                                String.format(
                                        Locale.ROOT,
                                        "v%d AUC %.4f vs champion v%d %.4f on the same %d rows: gain %.4f %s %s and %s → %s",
                                        version,
                                        candidate.rocAuc(),
                                        championVersion.get(),
                                        championAuc,
                                        rows.rows(),
                                        gain,
                                        better ? "≥" : "<",
                                        fmt(policy.minAucGain()),
                                        calibrationClause,
                                        promote ? "promoted" : "not promoted"));
            }
        }
        if (decision.promote()) {
            writeChampion(modelName, version);
        }
        appendDecision(
                modelName,
                version,
                championVersion.orElse(null),
                candidate,
                championAuc,
                rows.rows(),
                decision);
        return decision;
    }

    private void writeVersionFiles(
            Path dir,
            String modelName,
            int version,
            TrainedModel model,
            TrainingRun run,
            LabeledData validation,
            Evaluation evaluation,
            Double oracleAuc,
            String labelDefinition,
            String createdAt)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.bin"));
                ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(model);
        }
        Json.write(dir.resolve("metrics.json"), metrics(evaluation, oracleAuc));
        Map<String, String> plainNames = new LinkedHashMap<>();
        model.features().forEach(f -> plainNames.put(f, model.plainName(f)));
        Json.write(dir.resolve("features.json"), plainNames);
        FeatureCsv.write(validation, dir.resolve("validation.csv"), LABEL_COLUMN, ID_COLUMN);
        rewriteVersionNumber(
                dir,
                modelName,
                version,
                model,
                run,
                evaluation,
                oracleAuc,
                labelDefinition,
                createdAt);
    }

    /** The files that mention the version number. */
    private static void rewriteVersionNumber(
            Path dir,
            String modelName,
            int version,
            TrainedModel model,
            TrainingRun run,
            Evaluation evaluation,
            Double oracleAuc,
            String labelDefinition,
            String createdAt)
            throws IOException {
        Map<String, Object> runJson = new LinkedHashMap<>();
        runJson.put("model", modelName);
        runJson.put("version", version);
        runJson.put("algorithm", model.algorithm().cliName());
        runJson.put("options", model.options());
        runJson.put("label_definition", labelDefinition);
        runJson.put("training_cutoffs", run.trainingCutoffs());
        runJson.put("validation_cutoff", run.validationCutoff());
        runJson.put("train_rows", run.trainRows());
        runJson.put("validation_rows", run.validationRows());
        runJson.put("train_fingerprint", run.trainFingerprint());
        runJson.put("validation_fingerprint", run.validationFingerprint());
        runJson.put("created_at", createdAt);
        Json.write(dir.resolve("run.json"), runJson);
        Files.writeString(
                dir.resolve("card.md"),
                ModelCard.markdown(
                        modelName,
                        version,
                        model,
                        run,
                        evaluation,
                        oracleAuc,
                        labelDefinition,
                        createdAt));
    }

    private static Map<String, Object> metrics(Evaluation e, Double oracleAuc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", e.rows());
        m.put("positive_rate", e.positiveRate());
        m.put("roc_auc", e.rocAuc());
        m.put("oracle_auc", oracleAuc);
        m.put("pr_auc", e.prAuc());
        m.put("brier", e.brier());
        m.put("log_loss", e.logLoss());
        m.put("max_calibration_gap", e.maxCalibrationGap());
        m.put("calibration_error", e.calibrationError());
        m.put("top_decile_lift", e.topDecileLift());
        m.put("calibration", e.calibration());
        m.put("deciles", e.deciles());
        return m;
    }

    private void writeChampion(String modelName, int version) {
        Path pointer = root.resolve(modelName).resolve("champion");
        try {
            Path temp = Files.createTempFile(pointer.getParent(), TEMP_PREFIX, ".champion");
            Files.writeString(temp, "v" + version + "\n");
            // Readers see either the old or the new champion, never a half-written file.
            Files.move(
                    temp,
                    pointer,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException(
                    "the file system under " + root + " cannot rename atomically; use a local disk",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write champion pointer " + pointer, e);
        }
    }

    private void appendDecision(
            String modelName,
            int candidate,
            Integer champion,
            Evaluation candidateEval,
            Double championAuc,
            long rows,
            PromotionDecision decision) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("candidate", "v" + candidate);
        line.put("champion", champion == null ? null : "v" + champion);
        line.put("candidate_auc", candidateEval.rocAuc());
        line.put("champion_auc", championAuc);
        line.put("rows", rows);
        line.put("calibration_error", candidateEval.calibrationError());
        line.put("promoted", decision.promote());
        line.put("reason", decision.reason());
        Path log = root.resolve(modelName).resolve("decisions.jsonl");
        try {
            Files.writeString(
                    log,
                    Json.line(line) + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    private Optional<Integer> championNumber(String modelName) {
        Path pointer = root.resolve(modelName).resolve("champion");
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(Files.readString(pointer).strip().substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read champion pointer " + pointer, e);
        }
    }

    private int nextVersion(String modelName) {
        List<Integer> versions = versionNumbers(root.resolve(modelName));
        return versions.isEmpty() ? 1 : versions.getLast() + 1;
    }

    private static List<Integer> versionNumbers(Path modelDir) {
        try (Stream<Path> dirs = Files.list(modelDir)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("v\\d+"))
                    .map(n -> Integer.parseInt(n.substring(1)))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list versions in " + modelDir, e);
        }
    }

    private Path requireModel(String modelName) {
        requireName(modelName);
        Path dir = root.resolve(modelName);
        if (!Files.isDirectory(dir) || versionNumbers(dir).isEmpty()) {
            throw new IllegalArgumentException(
                    "no model '" + modelName + "' in " + root + "; models are " + modelNames());
        }
        return dir;
    }

    private Path requireVersion(String modelName, int version) {
        Path modelDir = requireModel(modelName);
        List<Integer> versions = versionNumbers(modelDir);
        if (!versions.contains(version)) {
            throw new IllegalArgumentException(
                    "model '"
                            + modelName
                            + "' has no v"
                            + version
                            + "; versions are "
                            + versions.stream().map(v -> "v" + v).toList());
        }
        return modelDir.resolve("v" + version);
    }

    private static void requireName(String modelName) {
        if (modelName == null || !modelName.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException(
                    "model name '"
                            + modelName
                            + "' must be lower-case letters, digits, '_' or '-', e.g. churn_90d");
        }
    }

    private static String fmt(double v) {
        return Reason.round(v);
    }
}

package org.crmlake.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.crmlake.training.ScoreCustomersJob;

/**
 * Runs the daily jobs over every batch of a landing folder in one JVM, as {@code crm demo} and
 * {@code crm bench} do: each batch's sources are ingested concurrently (as in the Airflow DAG) and
 * checked; silver, identities, gold and the rest are rebuilt from all of bronze, so once, after
 * the last batch, is enough. Models are trained just before scoring.
 */
public final class BatchReplay {
    /** One named piece of the replay; {@code crm bench} wraps it with its measurements. */
    public interface Stage {
        void run(String name, List<String> outputs, Runnable work);
    }

    public static final String INGEST = "ingest";
    public static final String TRAIN = "train-models";

    private BatchReplay() {
    }

    /**
     * @param runJob runs one job for one batch date (the caller prints its summary)
     * @param trainModels trains the models the scoring job uses, or does nothing on too short a history
     */
    public static void run(List<LocalDate> batches, BiConsumer<Job, LocalDate> runJob, Runnable trainModels, Stage stage) {
        List<Job> jobs = JobRegistry.daily();
        List<Job> ingest = jobs.stream().filter(j -> j.name().startsWith(INGEST + "-")).toList();
        for (LocalDate date : batches) {
            stage.run(INGEST, ingest.stream().flatMap(j -> j.outputs().stream()).distinct().toList(),
                    () -> Concurrently.run(ingest.stream().map(job -> (Callable<Void>) () -> {
                        runJob.accept(job, date);
                        return null;
                    }).toList()));
            boolean last = date.equals(batches.getLast());
            for (Job job : jobs) {
                boolean everyBatch = job.gate(); // the quality gate checks each batch as it lands
                boolean lastBatchOnly = !ingest.contains(job) && !everyBatch;
                if (everyBatch || lastBatchOnly && last) {
                    if (job instanceof ScoreCustomersJob) {
                        stage.run(TRAIN, List.of(), trainModels);
                    }
                    stage.run(job.name(), job.outputs(), () -> runJob.accept(job, date));
                }
            }
        }
    }
}

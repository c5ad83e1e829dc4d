package org.crmlake.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmlake.clv.FitClvJob;
import org.crmlake.clv.RecommendProductsJob;
import org.crmlake.conform.ConformCrmJob;
import org.crmlake.conform.ConformPersonsJob;
import org.crmlake.conform.ConformSalesJob;
import org.crmlake.conform.ConformServiceJob;
import org.crmlake.conform.ConformWebJob;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.gold.BuildCustomer360Job;
import org.crmlake.gold.BuildFunnelJob;
import org.crmlake.gold.BuildKpisJob;
import org.crmlake.identity.ResolveIdentitiesJob;
import org.crmlake.ingest.IngestSourceJob;
import org.crmlake.ingest.SourceContract;
import org.crmlake.quality.CheckQualityJob;
import org.crmlake.quality.QualityCheck;
import org.crmlake.segments.BuildSegmentsJob;
import org.crmlake.training.ScoreCustomersJob;
import org.crmlake.training.TrainModelJob;
import org.crmlake.warehouse.PublishWarehouseJob;

/**
 * The one list of pipeline jobs, in a valid run order, and the weekly training jobs. The CLI
 * ({@code crm run}, {@code crm jobs}), the Airflow DAGs (via the manifest {@code crm jobs --json}
 * prints) and the docs read it; the dependencies between jobs follow from their declared input and
 * output tables.
 */
public final class JobRegistry {
    private JobRegistry() {
    }

    public static List<Job> daily() {
        List<Job> jobs = new ArrayList<>();
        for (String source : SourceContract.SOURCES) {
            jobs.add(IngestSourceJob.builtIn(source));
        }
        // The gate checks bronze, so it runs as soon as the exports have landed.
        jobs.add(new CheckQualityJob(QualityCheck.defaults()));
        jobs.add(new ConformPersonsJob());
        jobs.add(new ConformSalesJob());
        jobs.add(new ConformCrmJob());
        jobs.add(new ConformWebJob());
        jobs.add(new ConformServiceJob());
        jobs.add(new ResolveIdentitiesJob());
        jobs.add(new BuildCustomer360Job());
        jobs.add(new BuildFunnelJob());
        jobs.add(new BuildKpisJob());
        jobs.add(new FitClvJob());
        jobs.add(new RecommendProductsJob());
        jobs.add(new BuildFeaturesJob());
        jobs.add(new ScoreCustomersJob());
        jobs.add(new BuildSegmentsJob());
        jobs.add(new PublishWarehouseJob());
        return jobs;
    }

    /** The weekly training run: train both models, then every daily job that uses what training changed. */
    public static List<Job> training() {
        List<Job> jobs = new ArrayList<>();
        ScoreCustomersJob.MODELS.forEach(m -> jobs.add(new TrainModelJob(m)));
        Set<String> changed = new HashSet<>();
        jobs.forEach(j -> changed.addAll(j.outputs()));
        for (Job j : daily()) {
            if (j.inputs().stream().anyMatch(changed::contains)) {
                jobs.add(j);
                changed.addAll(j.outputs());
            }
        }
        return jobs;
    }

    public static Job byName(String name) {
        List<Job> all = new ArrayList<>(daily());
        all.addAll(training());
        return all.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no job named '" + name + "'; known jobs: "
                        + all.stream().map(Job::name).distinct().toList()));
    }

    /**
     * For each job, the jobs it must wait for: those whose outputs it reads, and any gate it does not
     * feed. Jobs sharing an output table may run at once: each replaces its own slice and retries a
     * Delta conflict ({@link org.crmlake.lake.Lake}).
     */
    public static Map<String, List<String>> upstream(List<Job> jobs) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (Job j : jobs) {
            List<String> up = new ArrayList<>();
            for (Job other : jobs) {
                if (other != j && other.outputs().stream().anyMatch(j.inputs()::contains)) {
                    up.add(other.name());
                }
            }
            deps.put(j.name(), up);
        }
        for (Job gate : jobs.stream().filter(Job::gate).toList()) {
            Set<String> feeders = ancestors(gate.name(), deps);
            for (Job j : jobs) {
                List<String> up = deps.get(j.name());
                // Only the first jobs past the gate wait for it directly; the rest wait through them.
                if (j != gate && !feeders.contains(j.name()) && feeders.containsAll(up)) {
                    up.add(gate.name());
                }
            }
        }
        return deps;
    }

    private static Set<String> ancestors(String job, Map<String, List<String>> deps) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(deps.get(job));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(deps.get(next));
            }
        }
        return seen;
    }
}

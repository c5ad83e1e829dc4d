package org.crmlake.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.crmlake.warehouse.PublishWarehouseJob;

/**
 * The one list of pipeline jobs, in a valid run order. The CLI ({@code crm run}, {@code crm jobs}),
 * the Airflow DAG (via the manifest {@code crm jobs --json} prints) and the docs read it; the
 * dependencies between jobs follow from their declared input and output tables.
 */
public final class JobRegistry {
    private JobRegistry() {
    }

    public static List<Job> daily() {
        List<Job> jobs = new ArrayList<>();
        for (String source : SourceContract.SOURCES) {
            jobs.add(IngestSourceJob.builtIn(source));
        }
        jobs.add(new ConformPersonsJob());
        jobs.add(new ConformSalesJob());
        jobs.add(new ConformCrmJob());
        jobs.add(new ConformWebJob());
        jobs.add(new ConformServiceJob());
        jobs.add(new CheckQualityJob(QualityCheck.defaults()));
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

    public static Job byName(String name) {
        return daily().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no job named '" + name + "'; known jobs: "
                        + daily().stream().map(Job::name).toList()));
    }

    /** For each job, the jobs whose outputs it reads. */
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
        return deps;
    }
}

package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.pipeline.JobContext;
import org.crmlake.warehouse.PublishWarehouseJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish the DuckDB warehouse for a date (job publish-warehouse): customer_360, scores, segments,",
                "segment_membership, funnel, kpi_daily, alerts, dq_results, ingest_log, clv, recommendations, the model",
                "registry's model_versions, model_deciles and model_calibration, and data_dictionary; e-mails and phones",
                "masked and hashed (docs/WAREHOUSE.md), views from sql/warehouse/. Built beside the live file and swapped",
                "in atomically; the previous file stays as warehouse.previous.duckdb. Also writes the HTML run report",
                "(report.html beside the warehouse, and reports/report-<date>.html): data quality, segments, scores,",
                "model lift and calibration, funnel, KPIs and alerts, with charts.",
                "Example: crm publish --date 2026-09-30"})
final class PublishCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "As-of date of the published slices.")
    LocalDate date;

    @Option(names = "--warehouse", paramLabel = "FILE",
            description = "DuckDB file (default: $CRM_WAREHOUSE, else warehouse/warehouse.duckdb beside the lake).")
    Path warehouse;

    @Option(names = "--views", paramLabel = "DIR", defaultValue = "sql/warehouse",
            description = "Folder of view *.sql files (default: ${DEFAULT-VALUE} when it exists, else those shipped in the jar).")
    Path views;

    @Override
    public Integer call() {
        Console console = new Console();
        PublishWarehouseJob job = new PublishWarehouseJob(warehouse, views);
        console.progress(job.name() + " " + date + ": " + job.description());
        console.summary(job.run(new JobContext(where.open("crm-publish"), where.landingUri(), date, console::progress)));
        return 0;
    }
}

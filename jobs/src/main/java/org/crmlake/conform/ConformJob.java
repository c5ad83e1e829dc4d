package org.crmlake.conform;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Concurrently;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * Shared shape of the silver jobs: each rebuilds its silver tables from all of bronze, so silver is
 * a pure function of bronze (late files and re-ingested batches are picked up by the next run, and
 * a re-run gives the same tables). Subclasses say which bronze entities they read and build each
 * output table.
 */
abstract class ConformJob implements Job {
    /** bronze source/entity pairs read, e.g. {"crm", "contacts"}. */
    protected abstract List<String[]> bronzeInputs();

    protected abstract List<TableDef> silverOutputs();

    /** Builds one output table from bronze. */
    protected abstract Dataset<Row> build(TableDef table, Lake lake);

    @Override
    public List<String> inputs() {
        return bronzeInputs().stream().map(se -> Tables.bronze(se[0], se[1]).qualifiedName()).toList();
    }

    @Override
    public List<String> outputs() {
        return silverOutputs().stream().map(TableDef::qualifiedName).toList();
    }

    protected static Dataset<Row> latest(Lake lake, String source, String entity) {
        TableDef t = Tables.bronze(source, entity);
        return Dedup.latestPerKey(lake.read(t), org.crmlake.ingest.SourceContract.load(source).entity(entity).key());
    }

    @Override
    public JobResult run(JobContext ctx) {
        ctx.spark().sparkContext().setJobGroup(name(), name(), false);
        // Output tables are independent: build them concurrently so Delta commits overlap.
        List<String> summary = Concurrently.run(silverOutputs().stream().map(t -> (Callable<String>) () -> {
            ctx.spark().sparkContext().setJobGroup(name(), name() + " " + t.qualifiedName(), false);
            ctx.lake().overwrite(t, build(t, ctx.lake()));
            long rows = ctx.lake().read(t).count();
            ctx.progress("  " + name() + ": " + t.qualifiedName() + " " + rows + " rows");
            return String.format("  %-28s %9d rows", t.qualifiedName(), rows);
        }).toList());
        return new JobResult(name(), summary);
    }
}

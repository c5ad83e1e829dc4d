package org.crmlake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.access.AccessDeniedException;
import org.crmlake.access.AccessPolicy;
import org.crmlake.access.Caller;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.warehouse.ReadAudit;
import org.crmlake.warehouse.WarehouseLocation;
import org.crmlake.warehouse.WarehouseQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a query on the published DuckDB warehouse (opened read-only) and print a table.",
                "Needs a role in the access file (--user, $CRM_USER): admins, marketing and analysts",
                "query every customer, a manager their team's, a sales rep their own (contact points are",
                "masked in the warehouse for everyone). Every query is audited in audit/reads-*.jsonl",
                "beside the warehouse. Queries cannot read files (DuckDB external access is off).",
                "Examples:",
                "  crm sql --user demo-analyst \"select * from segments order by members desc\"",
                "  crm sql --user demo-sales --file sql/examples/segment_sizes_over_time.sql"})
final class SqlCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The SQL query (or use --file).")
    String query;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the query from this file.")
    Path file;

    @Option(names = "--max-rows", defaultValue = "50", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--warehouse", paramLabel = "FILE",
            description = "DuckDB file (default: $CRM_WAREHOUSE, else warehouse/warehouse.duckdb beside the lake).")
    Path warehouse;

    @Mixin
    CallerOptions caller;

    @Option(names = "--lake", paramLabel = "DIR", defaultValue = "${env:CRM_LAKE:-work/lake}",
            description = "Lake root, to find the default warehouse beside it (default: $CRM_LAKE or ${DEFAULT-VALUE}).")
    String lake;

    @Override
    public Integer call() throws IOException {
        if ((query == null) == (file == null)) {
            throw new IllegalArgumentException("give a query or --file FILE (one of them)");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("--max-rows must be at least 1, not " + maxRows);
        }
        String sql = query != null ? query : Files.readString(file);
        // Only the location is needed: no SparkSession is started for a query.
        Path db = WarehouseLocation.resolve(new Lake(null, LakeOptions.uri(lake), DataKeys.NONE), warehouse);
        String user = caller.user();
        Caller who;
        try {
            who = AccessPolicy.load(caller.access).identify(user);
        } catch (AccessDeniedException e) {
            ReadAudit.record(db, user, e.role(), null, sql, -1, "denied: " + e.getMessage());
            throw e;
        }
        String book = who.bookDescription().isEmpty() ? "all" : who.bookDescription().substring(2);
        WarehouseQuery.Result result;
        try {
            result = WarehouseQuery.run(db, sql, maxRows, who);
        } catch (IllegalArgumentException e) {
            ReadAudit.record(db, user, who.role().id(), book, sql, -1, "failed: " + e.getMessage());
            throw e;
        }
        // Audited before anything is shown: a read that cannot be audited shows nothing.
        ReadAudit.record(db, user, who.role().id(), book, sql, result.total(), "allowed");
        WarehouseQuery.render(result).forEach(System.out::println);
        return 0;
    }
}

package org.crmlake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.lake.Lake;
import org.crmlake.warehouse.WarehouseLocation;
import org.crmlake.warehouse.WarehouseQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a query on the published DuckDB warehouse (opened read-only) and print a table.",
                "Examples: crm sql \"select segment, members from segments order by members desc\"",
                "          crm sql --file sql/examples/segment_sizes_over_time.sql"})
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
        Path db = WarehouseLocation.resolve(new Lake(null, LakeOptions.uri(lake)), warehouse);
        WarehouseQuery.render(WarehouseQuery.run(db, sql, maxRows)).forEach(System.out::println);
        return 0;
    }
}

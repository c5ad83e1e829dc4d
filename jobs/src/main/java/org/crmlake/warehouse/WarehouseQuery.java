package org.crmlake.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.crmlake.access.Caller;
import org.crmlake.access.Role;

/** Runs one query on the published warehouse, read-only, and renders an aligned text table. */
public final class WarehouseQuery {
    /** Opens tried before an IO error reaches the caller (see {@link #openReadOnly}). */
    private static final int OPEN_ATTEMPTS = 3;

    private WarehouseQuery() {
    }

    /** A query's column names, the first rows as text, and how many rows it returned in all. */
    public record Result(List<String> columns, List<List<String>> rows, long total) {
    }

    public static Connection openReadOnly(Path file) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no warehouse at " + file + "; publish one first: crm publish --date D");
        }
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        // Opening reads the file's header and catalog. A publish renaming the next warehouse over it
        // in that moment (or another connection of this process closing DuckDB's shared instance of
        // the path) can fail the open with an IO error, about once in a few hundred opens in the
        // rename race of WarehouseTest. The rename itself is atomic, so opening again succeeds.
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection("jdbc:duckdb:" + file, p);
            } catch (SQLException e) {
                if (attempt == OPEN_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("IO Error")) {
                    throw e;
                }
            }
        }
    }

    /** Runs the query on the whole warehouse (as a caller whose book is every customer). */
    public static Result run(Path file, String sql, int maxRows) {
        try (Connection db = openReadOnly(file)) {
            return query(db, file, sql, maxRows);
        } catch (SQLException e) {
            throw failed(file, e);
        }
    }

    /**
     * Runs the query as {@code caller}: on the warehouse itself when their book is every customer,
     * else on an in-memory copy holding only their book's customers ({@link #bookCopy}). Either way
     * the query cannot reach files (DuckDB's external access is off and locked), so it cannot
     * attach the warehouse file or read the lake behind the caller's back.
     */
    public static Result run(Path file, String sql, int maxRows, Caller caller) {
        try (Connection db = caller.role().book() == Role.Book.ALL ? openReadOnly(file) : bookCopy(file, caller)) {
            try (Statement s = db.createStatement()) {
                s.execute("SET enable_external_access = false");
                s.execute("SET lock_configuration = true");
            }
            return query(db, file, sql, maxRows);
        } catch (SQLException e) {
            throw failed(file, e);
        }
    }

    /**
     * An in-memory database with the warehouse's tables and views, where every table with a
     * customer_id keeps only the rows of customers in the caller's book (customer_360's owner_id
     * for a sales rep, team for a manager, on the warehouse's date); tables without one (KPIs,
     * funnel, data quality, models) are copied whole: they hold no customer's data.
     */
    static Connection bookCopy(Path file, Caller caller) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no warehouse at " + file + "; publish one first: crm publish --date D");
        }
        Connection db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute("ATTACH '" + file.toString().replace("'", "''") + "' AS wh (READ_ONLY)");
            String bookColumn = caller.role().book() == Role.Book.TEAM ? "team" : "owner_id";
            String bookValue = caller.role().book() == Role.Book.TEAM ? caller.team() : caller.ownerId();
            s.execute("CREATE TEMP TABLE book AS SELECT DISTINCT customer_id FROM wh.main.customer_360 WHERE "
                    + bookColumn + " = '" + bookValue.replace("'", "''") + "'");
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT t.table_name, bool_or(c.column_name = 'customer_id') FROM information_schema.tables t "
                    + "JOIN information_schema.columns c USING (table_catalog, table_schema, table_name) "
                    + "WHERE t.table_catalog = 'wh' AND t.table_schema = 'main' AND t.table_type = 'BASE TABLE' GROUP BY 1 ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), String.valueOf(rs.getBoolean(2))});
                }
            }
            for (String[] t : tables) {
                String name = "\"" + t[0].replace("\"", "\"\"") + "\"";
                List<String> keep = new ArrayList<>();
                if (Boolean.parseBoolean(t[1])) {
                    keep.add("customer_id IN (SELECT customer_id FROM book)");
                }
                // Other columns naming a customer among other things (alerts.subject: a region, a
                // model or a customer id): rows about a customer outside the book go.
                for (String c : otherCustomerColumns(t[0])) {
                    keep.add("(" + c + " IS NULL OR " + c + " IN (SELECT customer_id FROM book) OR " + c
                            + " NOT IN (SELECT customer_id FROM wh.main.customer_360))");
                }
                s.execute("CREATE TABLE memory.main." + name + " AS SELECT * FROM wh.main." + name
                        + (keep.isEmpty() ? "" : " WHERE " + String.join(" AND ", keep)));
            }
            List<String> views = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT sql FROM duckdb_views() WHERE database_name = 'wh' AND NOT internal")) {
                while (rs.next()) {
                    views.add(rs.getString(1));
                }
            }
            s.execute("USE memory");
            // Unqualified names: each view now reads the book's tables. A view over another view
            // waits for it, so views are created in rounds until none is left.
            while (!views.isEmpty()) {
                List<String> waiting = new ArrayList<>();
                SQLException last = null;
                for (String v : views) {
                    try {
                        s.execute(v);
                    } catch (SQLException e) {
                        waiting.add(v);
                        last = e;
                    }
                }
                if (waiting.size() == views.size()) {
                    throw last;
                }
                views = waiting;
            }
            s.execute("DETACH wh");
            s.execute("DROP TABLE book");
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Columns other than customer_id that the lake declares as naming a customer, for a published table. */
    private static List<String> otherCustomerColumns(String warehouseTable) {
        var source = PublishWarehouseJob.sources().get(warehouseTable);
        if (source == null) {
            return List.of();
        }
        return source.getKey().personKeys().entrySet().stream()
                .filter(e -> e.getValue() == org.crmlake.lake.PersonKey.CUSTOMER && !e.getKey().equals("customer_id"))
                .map(java.util.Map.Entry::getKey).toList();
    }

    private static IllegalArgumentException failed(Path file, SQLException e) {
        return new IllegalArgumentException("query failed on " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }

    private static Result query(Connection db, Path file, String sql, int maxRows) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<List<String>> rows = new ArrayList<>();
            long total = 0;
            while (rs.next()) {
                if (total++ < maxRows) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        Object v = rs.getObject(i);
                        row.add(v == null ? "NULL" : v.toString());
                    }
                    rows.add(row);
                }
            }
            return new Result(columns, rows, total);
        }
    }

    /** The result as an aligned table; numbers right-aligned, a footer with the row count. */
    public static List<String> render(Result r) {
        int[] width = new int[r.columns().size()];
        boolean[] numeric = new boolean[width.length];
        for (int i = 0; i < width.length; i++) {
            width[i] = r.columns().get(i).length();
            numeric[i] = !r.rows().isEmpty();
            for (List<String> row : r.rows()) {
                width[i] = Math.max(width[i], row.get(i).length());
                numeric[i] &= row.get(i).equals("NULL") || row.get(i).matches("-?[0-9.eE+-]+");
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(r.columns(), width, new boolean[width.length]));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.add(rule.toString());
        for (List<String> row : r.rows()) {
            out.add(line(row, width, numeric));
        }
        out.add(r.total() > r.rows().size() ? "(" + r.total() + " rows, first " + r.rows().size() + " shown; --max-rows N for more)"
                : "(" + r.total() + (r.total() == 1 ? " row)" : " rows)"));
        return out;
    }

    private static String line(List<String> cells, int[] width, boolean[] right) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            b.append(i == 0 ? "" : " | ").append(right[i] ? pad + c : c + pad);
        }
        return b.toString().stripTrailing();
    }
}

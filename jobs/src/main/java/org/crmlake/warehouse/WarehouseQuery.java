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

/** Runs one query on the published warehouse, read-only, and renders an aligned text table. */
public final class WarehouseQuery {
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
        return DriverManager.getConnection("jdbc:duckdb:" + file, p);
    }

    public static Result run(Path file, String sql, int maxRows) {
        try (Connection db = openReadOnly(file); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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
        } catch (SQLException e) {
            throw new IllegalArgumentException("query failed on " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
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

package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/** ERP sales into silver: products, orders, order lines (with category), invoices, returns. */
public final class ConformSalesJob extends ConformJob {

    @Override
    public String name() {
        return "conform-sales";
    }

    @Override
    public String description() {
        return "deduplicate ERP products, orders, lines, invoices and returns into silver";
    }

    @Override
    protected List<String[]> bronzeInputs() {
        return List.of(new String[] {"erp", "products"}, new String[] {"erp", "orders"},
                new String[] {"erp", "order_lines"}, new String[] {"erp", "invoices"}, new String[] {"erp", "returns"});
    }

    @Override
    protected List<TableDef> silverOutputs() {
        return List.of(Tables.PRODUCTS, Tables.ORDERS, Tables.ORDER_LINES, Tables.INVOICES, Tables.RETURNS);
    }

    @Override
    protected Dataset<Row> build(TableDef table, Lake lake) {
        if (table == Tables.PRODUCTS) {
            return latest(lake, "erp", "products");
        }
        if (table == Tables.ORDERS) {
            return latest(lake, "erp", "orders")
                    .withColumn("record_key", concat(lit("erp:customers:"), col("customer_no")))
                    .withColumn("order_date", to_date(col("ordered_at")));
        }
        if (table == Tables.ORDER_LINES) {
            return latest(lake, "erp", "order_lines")
                    .join(latest(lake, "erp", "products").select("product_id", "category"), "product_id", "left");
        }
        if (table == Tables.INVOICES) {
            return latest(lake, "erp", "invoices").withColumn("days_to_pay", datediff(col("paid_at"), col("invoiced_at")));
        }
        return latest(lake, "erp", "returns");
    }
}

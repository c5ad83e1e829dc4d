package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/** CRM sales and marketing records into silver: owners, leads, opportunities with stage history, activities, consents. */
public final class ConformCrmJob extends ConformJob {

    @Override
    public String name() {
        return "conform-crm";
    }

    @Override
    public String description() {
        return "deduplicate CRM owners, leads, opportunities, stage history, activities and consents into silver";
    }

    @Override
    protected List<String[]> bronzeInputs() {
        return List.of(new String[] {"crm", "owners"}, new String[] {"crm", "leads"}, new String[] {"crm", "opportunities"},
                new String[] {"crm", "opportunity_stages"}, new String[] {"crm", "activities"}, new String[] {"crm", "consents"});
    }

    @Override
    protected List<TableDef> silverOutputs() {
        return List.of(Tables.OWNERS, Tables.LEADS, Tables.OPPORTUNITIES, Tables.OPPORTUNITY_STAGES,
                Tables.ACTIVITIES, Tables.CONSENTS);
    }

    @Override
    protected Dataset<Row> build(TableDef table, Lake lake) {
        if (table == Tables.OWNERS) {
            return latest(lake, "crm", "owners");
        }
        if (table == Tables.LEADS) {
            return latest(lake, "crm", "leads");
        }
        if (table == Tables.OPPORTUNITIES) {
            return latest(lake, "crm", "opportunities").withColumn("stage", lower(trim(col("stage"))));
        }
        if (table == Tables.OPPORTUNITY_STAGES) {
            return latest(lake, "crm", "opportunity_stages").withColumn("stage", lower(trim(col("stage"))));
        }
        if (table == Tables.ACTIVITIES) {
            return latest(lake, "crm", "activities");
        }
        // Consent words vary by export; keep the two the pipeline understands.
        return latest(lake, "crm", "consents")
                .withColumn("channel", lower(trim(col("channel"))))
                .withColumn("status", lower(trim(col("status"))));
    }
}

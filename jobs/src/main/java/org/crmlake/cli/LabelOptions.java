package org.crmlake.cli;

import org.crmlake.features.LabelSpec;
import picocli.CommandLine.Option;

/** The label settings of {@code crm features} and {@code crm train}. */
public final class LabelOptions {
    @Option(names = "--active-days", paramLabel = "DAYS", defaultValue = "365",
            description = "Churn applies to customers who ordered within DAYS before the cutoff (default ${DEFAULT-VALUE}).")
    int activeDays;

    @Option(names = "--churn-days", paramLabel = "DAYS", defaultValue = "90",
            description = "Churn = no order in DAYS after the cutoff (default ${DEFAULT-VALUE}).")
    int churnDays;

    @Option(names = "--purchase-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Propensity = an order within DAYS after the cutoff (default ${DEFAULT-VALUE}).")
    int purchaseDays;

    @Option(names = "--category", paramLabel = "NAME",
            description = "Propensity counts only orders with a product of this category (default: any).")
    String category;

    LabelSpec spec() {
        return new LabelSpec(activeDays, churnDays, purchaseDays, category);
    }
}

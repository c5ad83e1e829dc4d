package org.crmlake.features;

/**
 * What the labels mean. Churn: a customer who ordered in the {@code activeDays} before the cutoff
 * places no order in the {@code churnDays} after it. Purchase: the customer orders (a product of
 * {@code purchaseCategory}, when set) within {@code purchaseDays} after the cutoff.
 */
public record LabelSpec(int activeDays, int churnDays, int purchaseDays, String purchaseCategory) {
    public LabelSpec {
        requirePositive("active days", activeDays, "--active-days");
        requirePositive("churn horizon", churnDays, "--churn-days");
        requirePositive("purchase horizon", purchaseDays, "--purchase-days");
        if (purchaseCategory != null && purchaseCategory.isBlank()) {
            purchaseCategory = null;
        }
    }

    public static LabelSpec defaults() {
        return new LabelSpec(365, 90, 30, null);
    }

    private static void requirePositive(String what, int days, String option) {
        if (days < 1 || days > 3650) {
            throw new IllegalArgumentException(what + " must be 1 to 3650 days, got " + days + ": fix " + option);
        }
    }

    /** The label's horizon in days for a model name (churn or propensity). */
    public int horizonDays(String model) {
        return switch (model) {
            case "churn" -> churnDays;
            case "propensity" -> purchaseDays;
            default -> throw new IllegalArgumentException("unknown model '" + model + "': use churn or propensity");
        };
    }

    public String describe() {
        return describe("churn") + "; " + describe("propensity");
    }

    /** One model's label in words, e.g. for its model card. */
    public String describe(String model) {
        return switch (model) {
            case "churn" -> "churn: no order in " + churnDays + "d after ordering within " + activeDays + "d";
            case "propensity" -> "purchase: an order" + (purchaseCategory == null ? "" : " in category " + purchaseCategory)
                    + " within " + purchaseDays + "d";
            default -> throw new IllegalArgumentException("unknown model '" + model + "': use churn or propensity");
        };
    }
}

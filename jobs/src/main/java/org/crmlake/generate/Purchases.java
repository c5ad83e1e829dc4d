package org.crmlake.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The purchase process: a Poisson process with the person's order rate from first-seen until
 * churn (or the end date). ERP writes these orders; the web writes their checkouts.
 */
final class Purchases {

    record Line(Catalog.Product product, int quantity) {
        long amountCents() {
            return product.priceCents() * quantity;
        }
    }

    record Order(int seq, long orderedAt, List<Line> lines, String channel, boolean cancelled) {
        long totalCents() {
            return lines.stream().mapToLong(Line::amountCents).sum();
        }

        boolean web() {
            return "web".equals(channel);
        }
    }

    /** Orders per person are capped so their ids stay inside the person's id slots. */
    static final int MAX_ORDERS = 500;

    private Purchases() {
    }

    static List<Order> simulate(Person p, Batches batches, Catalog catalog, SplittableRandom rng) {
        List<Order> orders = new ArrayList<>();
        if (p.orderRate() <= 0) {
            return orders;
        }
        double t = Math.max(batches.startDay(), p.firstSeenDay());
        // churn_date is the last day the person may still buy, so P(order in (c, c+h]) matches SOURCES.md.
        double end = p.churnDay() == Person.NO_CHURN ? batches.endDay() + 1 : Math.min(p.churnDay() + 1.0, batches.endDay() + 1);
        while (orders.size() < MAX_ORDERS) {
            t += -Math.log(1 - rng.nextDouble()) / p.orderRate();
            if (t >= end) {
                break;
            }
            long day = (long) Math.floor(t);
            long at = day * Times.DAY + p.timeOfDay(rng);
            int favourite = rng.nextInt(catalog.categories());
            int lineCount = 1 + weightedLines(rng);
            List<Line> lines = new ArrayList<>(lineCount);
            for (int k = 0; k < lineCount; k++) {
                int category = rng.nextDouble() < 0.6 ? favourite : rng.nextInt(catalog.categories());
                int qty = 1 + (p.b2b() ? rng.nextInt(10) : rng.nextDouble() < 0.8 ? 0 : rng.nextInt(3));
                lines.add(new Line(catalog.pick(category, p.priceSensitivity(), rng), qty));
            }
            String channel = p.webUser() && rng.nextDouble() < 0.75 ? "web"
                    : p.b2b() ? "sales_rep" : rng.nextBoolean() ? "store" : "phone";
            orders.add(new Order(orders.size(), at, List.copyOf(lines), channel, rng.nextDouble() < 0.03));
        }
        return orders;
    }

    private static int weightedLines(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
    }
}

package org.crmlake.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Reference data derived from the seed: the ERP product list and the CRM sales owners. */
final class Catalog {

    record Product(String id, String name, String category, long priceCents) {
    }

    record Owner(String id, String name, String team, String region) {
    }

    private static final String[][] CATEGORIES = {
            {"Electronics", "Headphones", "Speaker", "Charger", "Tablet", "Smartwatch"},
            {"Home", "Lamp", "Kettle", "Blender", "Rug", "Vacuum"},
            {"Apparel", "Jacket", "Sneakers", "T-Shirt", "Scarf", "Backpack"},
            {"Beauty", "Serum", "Moisturizer", "Perfume", "Shampoo", "Lipstick"},
            {"Sports", "Yoga Mat", "Dumbbell Set", "Running Shoes", "Bike Helmet", "Tent"},
            {"Office", "Desk Chair", "Notebook", "Monitor Arm", "Pen Set", "Desk Lamp"},
            {"Kids", "Puzzle", "Building Blocks", "Plush Toy", "Stroller", "Car Seat"},
            {"Grocery", "Green Tea", "Coffee Beans", "Olive Oil", "Snack Box", "Honey"}};
    private static final long[] BASE_PRICE_CENTS = {15_000, 6_000, 5_000, 3_000, 7_000, 8_000, 4_000, 1_500};
    private static final String[] ADJECTIVES = {"Classic", "Pro", "Lite", "Eco", "Premium", "Smart", "Mini", "Max",
            "Urban", "Everyday"};
    private static final int PER_CATEGORY = 25;

    private static final String[][] OWNER_TEAMS = {{"Enterprise", "North"}, {"Enterprise", "East"},
            {"Enterprise", "South"}, {"Enterprise", "West"}, {"SMB", "North"}, {"SMB", "East"}, {"SMB", "South"},
            {"SMB", "West"}, {"Consumer", "North"}, {"Consumer", "East"}, {"Consumer", "South"}, {"Consumer", "West"}};

    /** Products per category, sorted by price so "cheaper" is a lower index. */
    private final List<List<Product>> byCategory = new ArrayList<>();
    private final List<Owner> owners = new ArrayList<>();

    Catalog(long seed) {
        SplittableRandom rng = Seeds.stream(seed, -1, 1);
        int n = 0;
        for (int c = 0; c < CATEGORIES.length; c++) {
            List<Product> products = new ArrayList<>();
            for (int i = 0; i < PER_CATEGORY; i++) {
                String noun = CATEGORIES[c][1 + i % (CATEGORIES[c].length - 1)];
                String name = ADJECTIVES[rng.nextInt(ADJECTIVES.length)] + " " + noun + " " + (100 + i * 7);
                double factor = Math.exp(rng.nextGaussian() * 0.7);
                long price = Math.max(199, Math.round(BASE_PRICE_CENTS[c] * factor / 100.0) * 100 - 1);
                products.add(new Product(String.format(java.util.Locale.ROOT, "P%05d", 10_001 + n++ * 37 % 100_000),
                        name, CATEGORIES[c][0], price));
            }
            products.sort(Comparator.comparingLong(Product::priceCents).thenComparing(Product::id));
            byCategory.add(List.copyOf(products));
        }
        List<String> first = NameBank.EN_FIRST;
        List<String> last = NameBank.EN_LAST;
        for (int i = 0; i < OWNER_TEAMS.length; i++) {
            String name = first.get(rng.nextInt(first.size())) + " " + last.get(rng.nextInt(last.size()));
            owners.add(new Owner(String.format(java.util.Locale.ROOT, "OWN%02d", i + 1), name,
                    OWNER_TEAMS[i][0], OWNER_TEAMS[i][1]));
        }
    }

    List<Product> products() {
        return byCategory.stream().flatMap(List::stream).toList();
    }

    List<Owner> owners() {
        return owners;
    }

    int categories() {
        return byCategory.size();
    }

    /** A product of the category; price-sensitive buyers skew to the cheap end. */
    Product pick(int category, double priceSensitivity, SplittableRandom rng) {
        List<Product> list = byCategory.get(category);
        double u = Math.pow(rng.nextDouble(), 0.5 + 3.0 * priceSensitivity);
        return list.get(Math.min(list.size() - 1, (int) (u * list.size())));
    }

    Product any(SplittableRandom rng) {
        return pick(rng.nextInt(byCategory.size()), 0.5, rng);
    }
}

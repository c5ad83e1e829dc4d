package org.crmlake.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws person i from streams seeded by (seed, i), so persons can be generated one at a time.
 * Households (family members sharing an address) and companies are keyed by index too.
 */
final class PersonFactory {

    private static final List<String> STAGES = List.of("student", "young_family", "established", "retired");
    private static final double[] STAGE_WEIGHTS = {0.2, 0.3, 0.35, 0.15};
    private static final double[] STAGE_ORDER_FACTOR = {0.7, 1.25, 1.1, 0.8};
    private static final List<String> ZH_MAIL = List.of("qq.com", "163.com", "126.com", "sina.com", "gmail.com");
    private static final List<String> EN_MAIL = List.of("gmail.com", "yahoo.com", "outlook.com", "icloud.com",
            "hotmail.com");

    private final long seed;
    private final Batches batches;
    private final Mess mess;
    private final int companies;
    private final NameBank names;
    /** A mailbox belongs to one person: a taken address gets the person's number, as mail providers insist. */
    private final java.util.Set<String> usedEmails = new java.util.HashSet<>();

    PersonFactory(GenerateOptions options, Batches batches, NameBank names) {
        this.seed = options.seed();
        this.batches = batches;
        this.mess = new Mess(options.mess());
        this.companies = Math.max(1, options.customers() / 25);
        this.names = names;
    }

    /** Whether person i moves in with person i-1 (a family sharing an address): mess-driven. */
    private boolean joinsPrevious(int i) {
        return i > 0 && Seeds.unit(seed, i, 5) < 0.10 * mess.level();
    }

    private int householdRoot(int i) {
        int root = i;
        for (int step = 0; step < 3 && joinsPrevious(root); step++) {
            root--;
        }
        return root;
    }

    Person create(int i) {
        SplittableRandom rng = Seeds.stream(seed, i, 1);
        int root = householdRoot(i);
        boolean zh = Seeds.unit(seed, root, 2) < 0.4;

        int stage = weighted(rng, STAGE_WEIGHTS);
        boolean b2b = rng.nextDouble() < 0.15;
        double engagement = (rng.nextDouble() + rng.nextDouble()) / 2;
        double priceShift = stage == 0 ? 0.15 : stage == 1 ? 0.05 : 0;
        double priceSensitivity = clamp((rng.nextDouble() + rng.nextDouble()) / 2 + priceShift);
        double service = (rng.nextDouble() + rng.nextDouble()) / 2;
        boolean prospect = rng.nextDouble() < 0.15;
        double rate = prospect ? 0 : (0.3 + 1.4 * engagement) * STAGE_ORDER_FACTOR[stage] * (b2b ? 1.4 : 1) / 60.0;

        long firstSeen = rng.nextDouble() < 0.55 ? batches.startDay()
                : batches.startDay() + (long) (rng.nextDouble() * (batches.endDay() - batches.startDay()));
        // Churn hazard per day: bad service and low engagement push people out.
        double hazard = 0.0006 * (0.3 + 2.5 * sq(1 - service) + 1.2 * sq(1 - engagement));
        long churn = firstSeen + 1 + (long) (-Math.log(1 - rng.nextDouble()) / hazard);
        if (churn > batches.endDay() + 90) {
            churn = Person.NO_CHURN;
        }
        boolean webUser = rng.nextDouble() < 0.7;
        boolean crmContact = b2b || rng.nextDouble() < 0.85;

        SplittableRandom family = Seeds.stream(seed, root, 3);
        String lastName = zh ? NameBank.pick(family, NameBank.ZH_SURNAMES) : NameBank.pick(family, NameBank.EN_LAST);
        String firstName = zh ? NameBank.zhGiven(rng) : NameBank.pick(rng, NameBank.EN_FIRST);
        String pinyinFirst = zh ? NameBank.titleCase(names.pinyin(firstName)) : null;
        String pinyinLast = zh ? NameBank.titleCase(names.pinyin(lastName)) : null;

        SplittableRandom home = Seeds.stream(seed, root, 4);
        NameBank.City city = zh ? NameBank.pick(home, NameBank.ZH_CITIES) : NameBank.pick(home, NameBank.US_CITIES);
        int number = 1 + home.nextInt(zh ? 999 : 9899);
        String street = zh ? city.district() + NameBank.pick(home, NameBank.ZH_ROADS) + number + "号"
                + (home.nextBoolean() ? (1 + home.nextInt(30)) + "0" + (1 + home.nextInt(4)) + "室" : "")
                : number + " " + NameBank.pick(home, NameBank.US_STREETS);
        String postcode = city.postcodePrefix() + String.format(java.util.Locale.ROOT, zh ? "%03d" : "%02d",
                home.nextInt(zh ? 1000 : 100));
        String area = zh ? null : NameBank.US_AREA.get(NameBank.US_CITIES.indexOf(city));
        String landline = zh ? PhoneFormats.cnLandline(home) : PhoneFormats.usNumber(home, area);

        String company = null;
        String companyPhone = null;
        if (b2b) {
            int c = rng.nextInt(companies);
            company = NameBank.company(zh, seed, c);
            SplittableRandom switchboard = Seeds.stream(seed, c, zh ? 703 : 704);
            companyPhone = zh ? PhoneFormats.cnLandline(switchboard) : PhoneFormats.usNumber(switchboard, "212");
        }
        String phone = zh ? PhoneFormats.cnMobile(rng) : PhoneFormats.usNumber(rng, area);
        boolean sharesLandline = (root != i || joinsPrevious(i + 1)) && Seeds.unit(seed, root, 6) < 0.5;
        if (sharesLandline) {
            phone = landline;
        } else if (b2b && rng.nextDouble() < 0.15) {
            phone = companyPhone;
        }

        String email = rng.nextDouble() < 0.1 ? null : unique(email(zh, firstName, lastName, rng), i);
        int age = switch (stage) {
            case 0 -> 18 + rng.nextInt(8);
            case 1 -> 26 + rng.nextInt(15);
            case 2 -> 35 + rng.nextInt(26);
            default -> 62 + rng.nextInt(24);
        };
        LocalDate birth = LocalDate.ofEpochDay(batches.endDay()).minusYears(age).minusDays(rng.nextInt(365));
        long contactCreated = firstSeen == batches.startDay() ? firstSeen - 1 - rng.nextInt(900) : firstSeen;

        return new Person(i, String.format(java.util.Locale.ROOT, "P%07d", i + 1), zh, b2b, company, companyPhone,
                STAGES.get(stage), engagement, priceSensitivity, service, rate, hazard, firstSeen, churn, webUser, crmContact,
                firstName, lastName, pinyinFirst, pinyinLast, email, phone, street, city.city(), postcode, birth,
                contactCreated);
    }

    private String unique(String email, int i) {
        String candidate = email;
        for (int n = 0; !usedEmails.add(candidate); n++) {
            int at = email.indexOf('@');
            candidate = email.substring(0, at) + "." + (i + 1) + (n == 0 ? "" : "." + n) + email.substring(at);
        }
        return candidate;
    }

    private String email(boolean zh, String first, String last, SplittableRandom rng) {
        String local;
        if (zh) {
            local = rng.nextDouble() < 0.3 ? Long.toString(100_000_000L + rng.nextLong(900_000_000L))
                    : names.pinyin(last) + names.pinyin(first) + (rng.nextBoolean() ? rng.nextInt(100) : "");
            return local + "@" + NameBank.pick(rng, ZH_MAIL);
        }
        String f = first.toLowerCase(java.util.Locale.ROOT);
        String l = last.toLowerCase(java.util.Locale.ROOT).replace("'", "");
        local = switch (rng.nextInt(3)) {
            case 0 -> f + "." + l;
            case 1 -> f.charAt(0) + l;
            default -> f + l + rng.nextInt(100);
        };
        return local + "@" + NameBank.pick(rng, EN_MAIL);
    }

    private static int weighted(SplittableRandom rng, double[] weights) {
        double u = rng.nextDouble();
        for (int k = 0; k < weights.length - 1; k++) {
            u -= weights[k];
            if (u < 0) {
                return k;
            }
        }
        return weights.length - 1;
    }

    private static double sq(double x) {
        return x * x;
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }
}

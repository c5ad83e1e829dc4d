package org.crmlake.generate;

import java.time.LocalDate;

/**
 * One simulated person: latent traits that drive behaviour, and the identity every source
 * records (in its own way). {@code churnDay} is the last active day, or {@link #NO_CHURN} when the
 * person does not churn within the horizon (the window plus the 90-day label period); it was drawn
 * from {@code churnHazard}, the daily probability of leaving.
 */
record Person(
        int index,
        String personId,
        boolean zh,
        boolean b2b,
        String company,
        String companyPhone,
        String lifeStage,
        double engagement,
        double priceSensitivity,
        double serviceExperience,
        double orderRate,
        double churnHazard,
        long firstSeenDay,
        long churnDay,
        boolean webUser,
        boolean crmContact,
        String firstName,
        String lastName,
        String pinyinFirst,
        String pinyinLast,
        String email,
        String phone,
        String street,
        String city,
        String postcode,
        LocalDate birthDate,
        long contactCreatedDay) {

    static final long NO_CHURN = Long.MAX_VALUE;

    String locale() {
        return zh ? "zh_CN" : "en_US";
    }

    /** Han names are written surname first without a space; English names given name first. */
    String fullName() {
        return zh ? lastName + firstName : firstName + " " + lastName;
    }

    boolean activeOn(long day) {
        return day >= firstSeenDay && day <= churnDay;
    }

    /** 0 far from churn, rising to 1 on the churn date over the last 60 days: the signal models learn. */
    double churnPressure(long day) {
        if (churnDay == NO_CHURN) {
            return 0;
        }
        long before = churnDay - day;
        return before < 0 ? 1 : before > 60 ? 0 : 1.0 - before / 60.0;
    }

    /** Seconds into a UTC day when this person is awake (China is UTC+8, the US roughly UTC-5). */
    long timeOfDay(java.util.SplittableRandom rng) {
        int hour = zh ? 1 + rng.nextInt(14) : 12 + rng.nextInt(12);
        return hour * 3600L + rng.nextInt(3600);
    }
}

package org.crmlake.identity;

import java.io.Serializable;
import java.util.Objects;

/**
 * Fellegi–Sunter scoring of a candidate pair of person records. Each field comparison lands on a
 * level with a weight of log2(m/u) bits, where m is the chance of that level for two records of
 * one person and u for two records of different people; the pair's weight is the sum. Pairs at or
 * above {@link #threshold} are the same person. The m/u values are set by hand from how the
 * sources behave (documented in docs/IDENTITY.md) and checked by {@code crm evaluate identity}.
 *
 * <p>A value several people use (a family landline, a company switchboard) agrees far more often
 * between different people than a personal one, so it carries a small weight: the name and the
 * other fields must then decide.
 */
public record MatchWeights(double threshold) implements Serializable {

    public static final MatchWeights DEFAULT = new MatchWeights(12.0);

    /** The fields of one record the scorer compares; a company name counts as no name. */
    public record Side(String nameKey, String email, boolean emailShared, String phone, boolean phoneShared,
                       String birthDate, String streetKey, String postcode, String city) implements Serializable {
    }

    /** The weight of a pair and a short account of what agreed, for identity_links.evidence. */
    public record Score(double weight, String evidence) implements Serializable {
    }

    public Score score(Side a, Side b) {
        double w = 0;
        StringBuilder evidence = new StringBuilder();

        NameMatch.Level name = NameMatch.compare(a.nameKey(), b.nameKey());
        w += switch (name) {
            case EXACT -> 9;
            case HIGH -> 6;
            case PARTIAL -> 1;
            case DIFFERENT -> -9;
            case MISSING -> 0;
        };
        evidence.append("name=").append(name.name().toLowerCase(java.util.Locale.ROOT));

        w += keyWeight("email", a.email(), a.emailShared(), b.email(), b.emailShared(), 13, 3, -3, evidence);
        w += keyWeight("phone", a.phone(), a.phoneShared(), b.phone(), b.phoneShared(), 11, 4, -1, evidence);

        if (a.birthDate() != null && b.birthDate() != null) {
            boolean same = a.birthDate().equals(b.birthDate());
            w += same ? 7 : -6;
            evidence.append(same ? " birth=agree" : " birth=differ");
        }
        if (a.postcode() != null && a.postcode().equals(b.postcode())) {
            boolean street = a.streetKey() != null && a.streetKey().equals(b.streetKey());
            w += street ? 4 : 1;
            evidence.append(street ? " address=agree" : " postcode=agree");
        } else if (a.city() != null && b.city() != null && !a.city().equals(b.city())) {
            w -= 1;
            evidence.append(" city=differ");
        }
        return new Score(w, evidence.toString());
    }

    public boolean isMatch(Score score) {
        return score.weight() >= threshold;
    }

    private static double keyWeight(String field, String a, boolean aShared, String b, boolean bShared,
                                    double agreeUnique, double agreeShared, double differ, StringBuilder evidence) {
        if (a == null || b == null) {
            return 0;
        }
        if (Objects.equals(a, b)) {
            boolean shared = aShared || bShared;
            evidence.append(' ').append(field).append(shared ? "=shared" : "=agree");
            return shared ? agreeShared : agreeUnique;
        }
        evidence.append(' ').append(field).append("=differ");
        return differ;
    }
}

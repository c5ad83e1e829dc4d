package org.crmlake.audience;

import java.util.Locale;

/**
 * A marketing channel: which customer_360 column holds its contact point, which consent governs
 * it, and how the contact point is normalised before hashing (the form Google and Meta
 * customer-match uploads expect: trimmed lower-case e-mail; E.164 phone with its '+').
 */
public enum Channel {
    EMAIL("email", "email_consent", "email_sha256", "lower(trim(email))"),
    SMS("phone_e164", "sms_consent", "phone_sha256", "trim(phone_e164)"),
    PHONE("phone_e164", "phone_consent", "phone_sha256", "trim(phone_e164)");

    private final String contactColumn;
    private final String consentColumn;
    private final String hashColumn;
    private final String normalised;

    Channel(String contactColumn, String consentColumn, String hashColumn, String normalised) {
        this.contactColumn = contactColumn;
        this.consentColumn = consentColumn;
        this.hashColumn = hashColumn;
        this.normalised = normalised;
    }

    /** email, sms or phone, any case. */
    public static Channel parse(String id) {
        for (Channel c : values()) {
            if (c.id().equalsIgnoreCase(id.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + id + "': use email, sms or phone");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** customer_360 column with the contact point; also its name in a clear or masked export. */
    public String contactColumn() {
        return contactColumn;
    }

    /** customer_360 column with opt_in, opt_out or null (no consent event recorded). */
    public String consentColumn() {
        return consentColumn;
    }

    /** Column name of the contact point's SHA-256 in a hashed export. */
    public String hashColumn() {
        return hashColumn;
    }

    /** Spark SQL expression over customer_360 for the normalised contact point. */
    public String normalisedExpression() {
        return normalised;
    }
}
